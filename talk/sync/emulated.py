"""In-process emulators for every system a set of documents names, behind `responses`.

Used by `talk sync --emulate`, the checklist harness and the benchmarks: the real
connectors talk HTTP to the emulators, so what is tested is what runs against real APIs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import TracebackType

import responses

from talk.connectors import Connector, RetryPolicy, connector_for
from talk.dataflow.model import Dataflow
from talk.emulator import Clock, Emulator, emulator_for
from talk.emulator.generic import GenericEmulator
from talk.emulator.mock import install
from talk.sync.flows import bind_flows
from talk.sync.keys import is_key
from talk.systems.keys import system_key
from talk.systems.profile import ApiStyle, SystemProfile
from talk.systems.registry import profile_for

__all__ = ["EMULATED_TOKEN", "EmulatedSystems", "base_path", "systems_named"]

EMULATED_TOKEN = "emulated"  # any non-empty bearer token is accepted by the emulators

_BASE_PATHS = {
    ApiStyle.KEAP: "/crm/rest/v1",
    ApiStyle.WEBCRM: "",
    ApiStyle.EXACT: "/api/v1/1234",
    ApiStyle.GENERIC: "",
}


def base_path(profile: SystemProfile) -> str:
    """The path under which a system's API lives, as the real API has it."""
    return profile.base_path or _BASE_PATHS.get(profile.style, "")


def systems_named(dataflows: Iterable[Dataflow]) -> list[SystemProfile]:
    """Every system the documents name (titles and section labels), once, in order."""
    found: dict[str, SystemProfile] = {}
    for dataflow in dataflows:
        names = [dataflow.source_system, dataflow.target_system]
        for section in dataflow.sections:
            names += [section.source.system, section.target.system]
        for name in names:
            if name.strip() and system_key(name) not in found:
                found[system_key(name)] = profile_for(name)
    return list(found.values())


def _no_sleep(seconds: float) -> None:
    """Emulated retries need not wait: the emulators have no real rate limit."""


class EmulatedSystems:
    """One emulator and one connector per system; a context manager that routes HTTP."""

    def __init__(
        self,
        dataflows: Sequence[Dataflow],
        *,
        id_seed: int = 0,
        clock: Clock | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.clock = clock or Clock()
        self.emulators: dict[str, Emulator] = {}
        self.connectors: dict[str, Connector] = {}
        for profile in systems_named(dataflows):
            url = f"https://{profile.key}.emulated{base_path(profile)}"
            self.emulators[profile.key] = emulator_for(profile, url, clock=self.clock,
                                                       id_seed=id_seed)
            policy = retry or RetryPolicy(sleep=_no_sleep, max_attempts=8)
            connector = connector_for(profile, url, EMULATED_TOKEN, retry=policy)
            # An emulated host never sits behind a proxy nor in ~/.netrc: skipping requests'
            # environment look-ups on every request halves the in-process round trip.
            connector.session.trust_env = False
            self.connectors[profile.key] = connector
        self._spell_keys(dataflows)
        self._mock: responses.RequestsMock | None = None

    def _spell_keys(self, dataflows: Sequence[Dataflow]) -> None:
        """Entities without a profile carry their key as the documents spell it (`PersonId`,
        `ID`), so a row reading or checking that field finds the record's id there."""
        for flow in bind_flows(dataflows):
            rows = flow.section.properties
            for entity, paths in ((flow.target, [r.target.path for r in flow.id_rows]),
                                  (flow.source, [r.source.path for r in rows
                                                 if is_key(flow.source, r.source.path)])):
                emulator = self.emulators.get(entity.system)
                spelled = [path for path in paths if path != "id"]
                if entity.generic and isinstance(emulator, GenericEmulator) and spelled:
                    emulator.spell_key(entity.resource, spelled[0])

    def emulator(self, system_name: str) -> Emulator:
        """The emulator of a system, by any spelling of its name."""
        key = system_key(system_name)
        try:
            return self.emulators[key]
        except KeyError:
            known = ", ".join(sorted(self.emulators))
            raise KeyError(f"no emulated system {system_name!r} (known: {known})") from None

    def __enter__(self) -> EmulatedSystems:
        self._mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        self._mock.start()
        install(self._mock, self.emulators.values())
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._mock is not None:
            self._mock.stop()
            self._mock.reset()
            self._mock = None
