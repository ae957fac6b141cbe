"""The partner register: organisations by sector and district, what they signed, and which § 3 KKG
sectors the network covers."""
