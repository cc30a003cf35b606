from tests.store.fixtures import clock, db_url, learner, sqlite_store, store

__all__ = ["clock", "db_url", "learner", "sqlite_store", "store"]
