"""The adapter host: registration, role binding, checked hook calls, rendering."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

import pytest

from alize_adapters.fakes import EventRecorder, MemoryBackends, MemoryCrm, MemoryLedger
from alize_adapters.host import (
    DEFAULT_RENDERER,
    AdapterConfig,
    AdapterContractError,
    AdapterCrashed,
    AdapterLoadError,
    AdapterManager,
    AdapterNotBound,
    AdapterUnavailable,
    AdvanceDisbursedNotice,
    BackendOffer,
    BackendRole,
    BackendSettings,
    Capability,
    CrmBackend,
    DocumentKind,
    DocumentSpec,
    EventSpec,
    LoadStage,
    RegistrationRequest,
    RegistrationSpec,
    RenderedDocument,
    RenderRequest,
    hookimpl,
)
from alize_core import MalformedInput

from .targets import disbursed


def request() -> RenderRequest:
    """A decision letter to render."""
    return RenderRequest(
        kind=DocumentKind.DECISION_LETTER,
        territory="MEUSE",
        on=date(2026, 3, 12),
        title="Décision du comité d'agrément",
        fields=(("Projet", "P1"), ("Décision", "adopté")),
    )


def bound(roles: dict[str, str]) -> AdapterManager:
    """A manager with the in-memory backends and these role bindings."""
    manager = AdapterManager(AdapterConfig.from_mapping({"roles": roles}))
    manager.register(MemoryBackends(), name="memory")
    return manager


class TestRoles:
    """Each role is bound, by configuration, to one backend on offer."""

    def test_a_registered_adapter_offers_a_backend_for_each_role(self) -> None:
        """The in-memory adapter's four offers are listed, credited to it."""
        manager = bound({})

        offers = [(o.role, o.name, o.adapter) for r in BackendRole for o in manager.offers(r)]

        assert offers == [(role, "memory", "memory") for role in BackendRole]

    def test_a_role_binds_to_the_backend_named_in_configuration(self) -> None:
        """The CRM role gives the memory CRM, built once."""
        manager = bound({"crm": "memory", "accounting": "memory"})

        assert isinstance(manager.crm(), MemoryCrm)
        assert manager.crm() is manager.crm()
        assert isinstance(manager.accounting(), MemoryLedger)

    def test_an_unbound_role_lists_the_backends_on_offer(self) -> None:
        """With no binding configured, the error says what could be chosen."""
        manager = bound({})

        with pytest.raises(AdapterNotBound, match=r"roles\.crm .* memory \(adapter memory\)"):
            manager.crm()

    def test_a_backend_nobody_offers_cannot_be_bound(self) -> None:
        """A binding to an unknown name names what is offered instead."""
        manager = bound({"crm": "acme"})

        with pytest.raises(AdapterNotBound, match=r"'acme' is not offered .* offered: memory"):
            manager.crm()

    def test_a_bound_backend_survives_other_adapters_coming_and_going(self) -> None:
        """Registering an observer does not rebuild the CRM; removing its provider unbinds it."""
        manager = bound({"crm": "memory"})
        crm = manager.crm()
        manager.register(EventRecorder(), name="recorder")
        kept = manager.crm()
        manager.unregister("memory")

        assert kept is crm
        with pytest.raises(AdapterNotBound, match="'memory' is not offered by any loaded adapter"):
            manager.crm()

    def test_a_backend_offered_by_two_adapters_cannot_be_bound(self) -> None:
        """One name from two adapters is a conflict naming both."""
        manager = bound({"crm": "memory"})
        manager.register(MemoryBackends(), name="memory-copy")

        with pytest.raises(AdapterNotBound, match=r"several adapters \(memory, memory-copy\)"):
            manager.crm()

    def test_the_capabilities_of_a_bound_backend_are_those_of_its_offer(self) -> None:
        """The manager reports what the bound backend declared."""
        manager = bound({"accounting": "memory"})

        assert manager.capabilities(BackendRole.ACCOUNTING) == frozenset(
            {Capability.POSTING, Capability.BANK_MOVEMENTS, Capability.EXPORT}
        )

    def test_a_factory_returning_something_else_is_a_contract_error(self) -> None:
        """A CRM factory returning a dict is refused, naming the adapter."""

        def not_a_crm(settings: BackendSettings) -> dict[str, str]:
            return {"name": settings.name}

        class Liar(RegistrationSpec):
            @hookimpl
            def alize_crm_backends(
                self, request: RegistrationRequest
            ) -> Iterable[BackendOffer[CrmBackend]]:
                return (BackendOffer(BackendRole.CRM, "liar", not_a_crm, frozenset()),)  # type: ignore[arg-type]

        manager = AdapterManager(AdapterConfig.from_mapping({"roles": {"crm": "liar"}}))
        manager.register(Liar(), name="liar")

        with pytest.raises(AdapterContractError, match=r"adapter liar.*not a CrmBackend"):
            manager.crm()

    def test_a_factory_that_fails_names_its_adapter(self) -> None:
        """A factory that cannot reach its tool raises an error naming the adapter."""

        def unreachable(settings: BackendSettings) -> CrmBackend:
            raise ConnectionRefusedError(f"{settings.option('url')} refused the connection")

        class Remote(RegistrationSpec):
            @hookimpl
            def alize_crm_backends(
                self, request: RegistrationRequest
            ) -> Iterable[BackendOffer[CrmBackend]]:
                return (BackendOffer(BackendRole.CRM, "remote", unreachable, frozenset()),)

        config = AdapterConfig.from_mapping(
            {"roles": {"crm": "remote"}, "options": {"remote": {"url": "https://crm.example"}}}
        )
        manager = AdapterManager(config)
        manager.register(Remote(), name="remote")

        with pytest.raises(AdapterCrashed, match=r"adapter remote.*https://crm\.example refused"):
            manager.crm()


class TestRegistration:
    """An adapter is admitted whole, or not at all."""

    def test_an_adapter_with_a_misspelt_hook_is_refused(self) -> None:
        """A hook no specification knows is refused, and nothing of the adapter stays."""

        class Typo:
            @hookimpl
            def alize_on_advance_disbursd(self, event: AdvanceDisbursedNotice) -> None:
                """Misspelt."""

        manager = AdapterManager()

        with pytest.raises(AdapterLoadError, match=r"typo: validation failed.*unknown hook"):
            manager.register(Typo(), name="typo")
        assert [p.name for p in manager.plugins()] == [DEFAULT_RENDERER]

    def test_a_hook_wrapper_is_refused(self) -> None:
        """Wrappers would see every adapter's call at once; alize calls adapters one by one."""

        class Wrapper:
            @hookimpl(wrapper=True)
            def alize_on_advance_disbursed(self, event: AdvanceDisbursedNotice) -> Iterator[None]:
                yield None

        manager = AdapterManager()

        with pytest.raises(AdapterLoadError, match="hook wrapper"):
            manager.register(Wrapper(), name="wrapper")
        assert manager.subscribers(disbursed().kind) == ()

    def test_offers_that_are_not_backend_offers_are_refused(self) -> None:
        """A registration hook returning dicts is refused at registration, not at use."""

        class Sloppy:
            @hookimpl
            def alize_crm_backends(self, request: RegistrationRequest) -> object:
                return [{"name": "sloppy"}]

        manager = AdapterManager()

        with pytest.raises(AdapterLoadError) as caught:
            manager.register(Sloppy(), name="sloppy")

        assert caught.value.failure.stage is LoadStage.OFFERS
        assert "returned a dict among its BackendOffer records" in str(caught.value)
        assert manager.offers(BackendRole.CRM) == ()

    def test_an_offer_for_another_role_is_refused(self) -> None:
        """An accounting backend offered through the CRM hook is refused."""

        class Confused:
            @hookimpl
            def alize_crm_backends(self, request: RegistrationRequest) -> object:
                return [
                    BackendOffer(BackendRole.ACCOUNTING, "x", MemoryBackends()._ledger, frozenset())
                ]

        with pytest.raises(AdapterLoadError, match="for role accounting, not crm"):
            AdapterManager().register(Confused(), name="confused")

    def test_a_class_is_refused_as_an_adapter(self) -> None:
        """Registering a class (not an instance) is refused with the fix to make."""
        with pytest.raises(AdapterLoadError, match="names a class"):
            AdapterManager().register(EventRecorder, name="recorder")

    def test_two_adapters_cannot_share_a_name(self) -> None:
        """A second adapter under a taken name is refused."""
        manager = AdapterManager()
        manager.register(EventRecorder(), name="recorder")

        with pytest.raises(AdapterLoadError, match="already loaded"):
            manager.register(EventRecorder(), name="Recorder")

    def test_two_managers_share_nothing(self) -> None:
        """An adapter registered in one manager is unknown to another."""
        first, second = AdapterManager(), AdapterManager()
        first.register(EventRecorder(), name="recorder")

        assert second.subscribers(disbursed().kind) == ()
        assert first.subscribers(disbursed().kind) == ("recorder",)

    def test_an_unregistered_adapter_stops_observing(self) -> None:
        """After unregister, the adapter receives nothing and offers nothing."""
        manager = bound({})
        manager.register(EventRecorder(), name="recorder")
        manager.unregister("recorder")
        manager.unregister("memory")

        assert manager.subscribers(disbursed().kind) == ()
        assert manager.offers(BackendRole.CRM) == ()


class TestDelivery:
    """Events reach one adapter at a time, and what comes back is checked."""

    def test_delivering_calls_only_the_named_adapter(self) -> None:
        """Of two observers, only the one named receives the event."""
        manager, first, second = AdapterManager(), EventRecorder(), EventRecorder()
        manager.register(first, name="first")
        manager.register(second, name="second")
        manager.deliver("second", disbursed())

        assert (first.count("E1"), second.count("E1")) == (0, 1)

    def test_an_exception_in_a_hook_becomes_a_crash_naming_the_adapter(self) -> None:
        """A KeyError inside an adapter is reported as AdapterCrashed, naming it and the hook."""

        class Buggy(EventSpec):
            @hookimpl
            def alize_on_advance_disbursed(self, event: AdvanceDisbursedNotice) -> None:
                raise KeyError("advance")

        manager = AdapterManager()
        manager.register(Buggy(), name="buggy", distribution="alize-buggy", version="0.3")

        with pytest.raises(AdapterCrashed) as caught:
            manager.deliver("buggy", disbursed())

        assert str(caught.value) == (
            "adapter buggy (alize-buggy 0.3), alize_on_advance_disbursed: KeyError: 'advance'"
        )
        assert caught.value.retryable is True

    def test_a_classified_error_keeps_its_class_and_gains_its_adapter(self) -> None:
        """An AdapterUnavailable raised by an adapter reaches the relay as such, located."""

        class Down(EventSpec):
            @hookimpl
            def alize_on_advance_disbursed(self, event: AdvanceDisbursedNotice) -> None:
                raise AdapterUnavailable("the ERP is down", retry_after=60)

        manager = AdapterManager()
        manager.register(Down(), name="down")

        with pytest.raises(AdapterUnavailable) as caught:
            manager.deliver("down", disbursed())

        assert caught.value.retry_after == 60
        assert caught.value.adapter == "down"

    def test_an_event_hook_returning_a_value_is_a_contract_error(self) -> None:
        """Event hooks return None; anything else is a bug of the adapter."""

        class Chatty:
            @hookimpl
            def alize_on_advance_disbursed(self, event: AdvanceDisbursedNotice) -> str:
                return "ok"

        manager = AdapterManager()
        manager.register(Chatty(), name="chatty")

        with pytest.raises(AdapterContractError, match="returned a str; event hooks return None"):
            manager.deliver("chatty", disbursed())

    def test_delivering_to_an_adapter_that_does_not_observe_the_kind_is_refused(self) -> None:
        """The manager does not pretend to deliver to an adapter without the hook."""
        manager = AdapterManager()

        with pytest.raises(AdapterNotBound, match="'nobody' observes advance_disbursed"):
            manager.deliver("nobody", disbursed())


class TestRendering:
    """The first renderer that answers wins; alize's plain-text renderer answers last."""

    def test_the_default_renderer_answers_when_no_adapter_does(self) -> None:
        """With no adapter, the document is alize's plain text."""
        document = AdapterManager().render(request())

        assert document.renderer == DEFAULT_RENDERER
        assert document.content.decode().startswith("Décision du comité d'agrément\n")

    def test_an_adapters_renderer_comes_before_the_default(self) -> None:
        """An adapter that renders decision letters wins; one that passes is skipped."""

        class Pdf(DocumentSpec):
            @hookimpl
            def alize_render_document(self, request: RenderRequest) -> RenderedDocument | None:
                if request.kind is not DocumentKind.DECISION_LETTER:
                    return None
                return RenderedDocument(
                    media_type="application/pdf", filename="lettre.pdf", content=b"%PDF-1.7"
                )

        class Passer(DocumentSpec):
            @hookimpl
            def alize_render_document(self, request: RenderRequest) -> RenderedDocument | None:
                return None

        manager = AdapterManager()
        manager.register(Pdf(), name="pdf")
        manager.register(Passer(), name="passer")

        assert manager.render(request()).renderer == "pdf"

    def test_a_renderer_returning_text_is_a_contract_error(self) -> None:
        """A renderer must return a RenderedDocument."""

        class Texty:
            @hookimpl
            def alize_render_document(self, request: RenderRequest) -> str:
                return "Décision"

        manager = AdapterManager()
        manager.register(Texty(), name="texty")

        with pytest.raises(AdapterContractError, match=r"adapter texty.*not a RenderedDocument"):
            manager.render(request())


class TestConfiguration:
    """Configuration is read strictly, and the environment can narrow it."""

    def test_an_unknown_key_names_itself(self) -> None:
        """A misspelt key is refused with its name."""
        with pytest.raises(MalformedInput, match="role: is not a field"):
            AdapterConfig.from_mapping({"role": {"crm": "memory"}})

    def test_an_option_that_is_not_text_names_its_path(self) -> None:
        """Options are text, like environment variables."""
        with pytest.raises(MalformedInput, match=r"options\.acme\.timeout: 30 must be text"):
            AdapterConfig.from_mapping({"options": {"acme": {"timeout": 30}}})

    def test_the_environment_can_set_strict_mode_and_an_allow_list(self) -> None:
        """ALIZE_ADAPTERS_STRICT and ALIZE_ADAPTERS_ALLOW change the configuration."""
        config = AdapterConfig().with_environment(
            {"ALIZE_ADAPTERS_STRICT": "1", "ALIZE_ADAPTERS_ALLOW": "acme,ledger"}
        )

        assert config.strict is True
        assert config.admits("Acme") is None
        assert config.admits("other") == "not in the allow list"

    def test_an_empty_allow_list_admits_nothing(self) -> None:
        """ALIZE_ADAPTERS_ALLOW set but empty loads no adapter."""
        config = AdapterConfig().with_environment({"ALIZE_ADAPTERS_ALLOW": ""})

        assert config.admits("acme") == "not in the allow list"


pytest_plugins = ["alize_adapters.testing.plugin"]


def test_the_suites_fixture_gives_a_fresh_strict_manager(adapter_manager: AdapterManager) -> None:
    """The conformance suite's pytest plugin gives each test its own strict, empty manager."""
    assert adapter_manager.config.strict is True
    assert [p.name for p in adapter_manager.plugins()] == [DEFAULT_RENDERER]
