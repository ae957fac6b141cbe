import gc

from fh_intranet import create_app

app = create_app()

# What start-up made (modules, the app, its catalogs) lives as long as the worker. Frozen, it is
# left out of the garbage collector's full collections, which otherwise walked it all again: some
# 55 ms each, landing on whichever request was running (the slowest single requests of `make bench`).
gc.collect()
gc.freeze()
