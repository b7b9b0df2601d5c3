"""Initial and reset passwords (DESIGN §2 "People and passwords"): random,
shown once to the admin who issued them, changed at first login
(PasswordChangeRequiredMiddleware), never derivable from data others can see.

Hashing: the default hasher (PBKDF2, ~1,000,000 iterations, ~0.5 s a password)
would make a 3,000-teacher import take 25 minutes. A generated password is
10 characters from a 56-character alphabet (about 58 bits), so a much cheaper
hash still resists guessing: InitialPasswordHasher runs 2,000 iterations
(under 1 ms). It is listed in PASSWORD_HASHERS after the default, so Django
re-hashes with the default at the first successful login, and the person
replaces the password right after anyway. Nothing else uses it.
"""

import secrets

from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password

# No 0/O/o, 1/l/I: read aloud or copied from a printed slip without mistakes.
ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 10


class InitialPasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_initial"
    iterations = 2_000


def password_generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def password_hash_initial(password: str) -> str:
    """The stored form of a generated password (see the module docstring)."""
    return make_password(password, hasher=InitialPasswordHasher.algorithm)
