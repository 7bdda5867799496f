"""
The contracts of what a store keeps about people: their details
(:class:`~alize_core.register.storage.PersonalData`, erasable) and the actors' API tokens
(:class:`~alize_adapters.storage.ports.TokenStore`, kept as digests).

Subclass :class:`PersonalDataContract` or :class:`TokenStoreContract` and provide a
``store`` fixture: the store under test, empty and fresh for each test. For the
personal-data contract, a ``stored_bytes`` fixture may also read the store's backing
storage *around* the store (its files, a database dump): the contract then checks that an
erased person's details are gone from it, not merely hidden; without it, that test is
skipped, saying why.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from alize_adapters.storage.ports import TokenStore
from alize_adapters.storage.tokens import authenticate, issue_token, token_digest
from alize_adapters.testing.support import StoreFixture
from alize_core.kernel.errors import InvalidValue, UnknownRecord
from alize_core.register.storage import PersonalData, PersonDetails


__all__ = ["PersonalDataContract", "TokenStoreContract"]

_CLAIRE = PersonDetails(
    "R1", "Claire Renard-Ménétrier", email="claire.renard@acieries.example", phone="03 29 79 01 02"
)
_PAUL = PersonDetails("R2", "Paul Lefèvre", email="paul.lefevre@forges.example")


class PersonalDataContract(StoreFixture):
    """
    Contract tests for a personal-data store; subclass it and provide the ``store`` fixture.

    .. versionadded:: 0.1.0
    """

    @pytest.fixture
    def stored_bytes(self) -> Callable[[], bytes]:
        """The backdoor: everything the store keeps, read without the store (files, a dump)."""
        pytest.skip("no `stored_bytes` fixture reads the store's storage around it")

    def test_details_put_are_given_back(self, store: PersonalData) -> None:
        """A person's details are given back equal, by ``get_person`` and ``person``."""
        store.put_person(_CLAIRE)

        assert store.get_person("R1") == _CLAIRE
        assert store.person("R1") == _CLAIRE

    def test_an_unknown_person_has_no_details(self, store: PersonalData) -> None:
        """``get_person`` of an unknown id is ``None``; ``person`` raises UnknownRecord."""
        store.put_person(_CLAIRE)

        assert store.get_person("R9") is None
        with pytest.raises(UnknownRecord):
            store.person("R9")

    def test_details_put_again_replace_the_old_ones(self, store: PersonalData) -> None:
        """Putting a person's details again replaces them whole (an e-mail removed is gone)."""
        store.put_person(_CLAIRE)
        moved = PersonDetails("R1", "Claire Renard", phone="03 29 00 00 00")
        store.put_person(moved)

        assert store.get_person("R1") == moved

    def test_an_erased_person_is_gone(self, store: PersonalData) -> None:
        """Erasing says there were details; afterwards they are unknown, and erasing again finds none."""
        store.put_person(_CLAIRE)

        assert store.erase_person("R1") is True
        assert store.get_person("R1") is None
        with pytest.raises(UnknownRecord):
            store.person("R1")
        assert store.erase_person("R1") is False

    def test_erasing_one_person_keeps_the_others(self, store: PersonalData) -> None:
        """Only the erased person's details go."""
        store.put_person(_CLAIRE)
        store.put_person(_PAUL)
        store.erase_person("R1")

        assert store.get_person("R2") == _PAUL

    def test_erasing_an_unknown_person_finds_nothing(self, store: PersonalData) -> None:
        """Erasing someone the store never knew is ``False``."""
        assert store.erase_person("R9") is False

    def test_an_erased_person_leaves_no_trace_in_the_storage(
        self, store: PersonalData, stored_bytes: Callable[[], bytes]
    ) -> None:
        """After erasure, the name, e-mail and phone appear nowhere in the backing storage."""
        store.put_person(_PAUL)
        store.put_person(_CLAIRE)
        assert _CLAIRE.name.encode() in stored_bytes()
        store.erase_person("R1")

        kept = stored_bytes()
        for value in (_CLAIRE.name, _CLAIRE.email, _CLAIRE.phone):
            assert value is not None
            assert value.encode() not in kept, f"{value!r} is still stored"
        assert _PAUL.name.encode() in kept


_NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


class TokenStoreContract(StoreFixture):
    """
    Contract tests for a token store; subclass it and provide the ``store`` fixture.

    .. versionadded:: 0.1.0
    """

    def test_a_token_authenticates_its_actor(self, store: TokenStore) -> None:
        """A token issued for an actor gives back that actor; its digest is kept, never the token."""
        info, secret = issue_token(store, "OP1", _NOW)

        assert authenticate(store, secret) == "OP1"
        assert store.token_actor(token_digest(secret)) == "OP1"
        assert store.tokens() == (info,)

    def test_an_unknown_token_authenticates_nobody(self, store: TokenStore) -> None:
        """A digest the store never kept gives no actor."""
        issue_token(store, "OP1", _NOW)

        assert store.token_actor(token_digest("alz_forged")) is None

    def test_a_revoked_token_authenticates_nobody(self, store: TokenStore) -> None:
        """Revoking a token by id revokes that one (once) and it then gives no actor."""
        info, secret = issue_token(store, "OP1", _NOW)
        _other, kept = issue_token(store, "OP1", _NOW)

        assert store.revoke_tokens(token_id=info.id) == 1
        assert store.revoke_tokens(token_id=info.id) == 0
        assert authenticate(store, secret) is None
        assert authenticate(store, kept) == "OP1"

    def test_revoking_an_actor_revokes_every_token_of_theirs(self, store: TokenStore) -> None:
        """Revoking an actor revokes each of their live tokens and no one else's."""
        secrets = [issue_token(store, "OP1", _NOW)[1] for _ in range(3)]
        _info, other = issue_token(store, "R1", _NOW)

        assert store.revoke_tokens(actor="OP1") == 3
        assert [authenticate(store, secret) for secret in secrets] == [None, None, None]
        assert authenticate(store, other) == "R1"

    def test_revoking_needs_an_id_or_an_actor(self, store: TokenStore) -> None:
        """Revoking with neither an id nor an actor, or with both, is refused."""
        info, _secret = issue_token(store, "OP1", _NOW)

        with pytest.raises(InvalidValue):
            store.revoke_tokens()
        with pytest.raises(InvalidValue):
            store.revoke_tokens(token_id=info.id, actor="OP1")

    def test_a_token_id_or_digest_already_kept_is_refused(self, store: TokenStore) -> None:
        """A second token under a kept id or digest is refused naming it; the first still works."""
        info, secret = issue_token(store, "OP1", _NOW)
        created = info.created_at

        with pytest.raises(InvalidValue, match="token_id"):
            store.add_token(info.id, "R1", token_digest("alz_other"), created)
        with pytest.raises(InvalidValue, match="digest"):
            store.add_token("tok-00000000", "R1", token_digest(secret), created)
        assert authenticate(store, secret) == "OP1"
        assert store.tokens() == (info,)

    def test_tokens_are_listed_oldest_first_revoked_ones_included(self, store: TokenStore) -> None:
        """Every token is listed by creation then id, with whether it was revoked."""
        later = issue_token(store, "R1", datetime(2026, 12, 8, tzinfo=UTC))[0]
        first = issue_token(store, "OP1", datetime(2026, 12, 6, tzinfo=UTC))[0]
        store.revoke_tokens(token_id=first.id)

        listed = store.tokens()
        assert [info.id for info in listed] == [first.id, later.id]
        assert [info.revoked for info in listed] == [True, False]
        assert [info.actor for info in listed] == ["OP1", "R1"]
