"""The annual network report (Sachstandsbericht): the year's figures from the register, meetings,
agreements, topics and offerings, the coordinator's text blocks, and a snapshot once finalised."""
