"""The claims database in claims_db/: SQLite holds the truth (records and their embeddings), the
FAISS index is derived from it and can always be rebuilt without re-encoding."""
from .store import ClaimStore, StoredClaim

__all__ = ["ClaimStore", "StoredClaim"]
