"""Every problem in an SDL is reported, with its YAML path, line, column and a message that says what to do."""

from __future__ import annotations

import pytest

from app.sdl import SdlError, SdlValidationError, parse_sdl
from tests.kits.sdl import web_sdl

GOOD = web_sdl(image="nginx", block=True)  # the layout the line numbers below count


def errors_of(text: str, **kw: object) -> list[SdlError]:
    with pytest.raises(SdlValidationError) as info:
        parse_sdl(text, **kw)  # type: ignore[arg-type]
    return info.value.errors


def test_good_sdl_parses() -> None:
    sdl = parse_sdl(GOOD)
    assert [p.name for p in sdl.placements] == ["dcloud"]
    unit = sdl.placements[0].resources[0]
    assert (unit.cpu_millis, unit.memory_bytes, unit.count, unit.services) == (500, 536870912, 1, ("web",))
    assert sdl.warnings == []
    web = sdl.services["web"]
    assert web.image == "nginx" and web.placements == ("dcloud",)
    assert web.exposes[0].shared_http and web.exposes[0].external_port == 80


def test_depends_on_says_remove_it_at_the_key() -> None:
    (err,) = errors_of(GOOD.replace("    image: nginx\n", "    image: nginx\n    depends_on:\n      - db\n"))
    assert err.path == "services.web.depends_on"
    assert (err.line, err.column) == (5, 5)
    assert "`depends_on` is not part of SDL; remove it" in err.message


def test_http_option_over_limit_points_to_the_value() -> None:
    text = GOOD.replace("        as: 80\n", "        as: 80\n        http_options:\n          max_body_size: 200000000\n")
    (err,) = errors_of(text)
    assert err.path == "services.web.expose[0].http_options.max_body_size"
    assert (err.line, err.column) == (9, 26)
    assert "at most 104857600" in err.message


def test_persistent_storage_without_mount() -> None:
    text = GOOD.replace("          - size: 1Gi\n", "          - size: 1Gi\n          - name: data\n            size: 5Gi\n"
                                                  "            attributes:\n              persistent: true\n"
                                                  "              class: beta3\n")
    (err,) = errors_of(text)
    assert "persistent storage `data` needs a mount path: add params.storage.data.mount" in err.message
    assert err.line == 3  # the service `web`


def test_all_errors_are_reported_in_file_order() -> None:
    text = GOOD.replace("image: nginx", "image: nginx\n    environment: [A=1]").replace(
        "        as: 80", "        as: 70000").replace("count: 1", "count: 0")
    errs = errors_of(text)
    assert len(errs) == 3
    assert [e.line for e in errs] == sorted(e.line for e in errs)
    assert "use `env`" in errs[0].message
    assert errs[1].path == "services.web.expose[0].as"
    assert errs[2].path == "deployment.web.dcloud.count" and "at least 1" in errs[2].message


def test_unknown_key_suggests_the_close_one() -> None:
    (err,) = errors_of(GOOD.replace("          - global: true", "          - globl: true"))
    assert "did you mean `global`?" in err.message


def test_missing_placement_pricing_and_profile() -> None:
    errs = errors_of(GOOD.replace("profile: web", "profile: api"))
    messages = " | ".join(e.message for e in errs)
    assert "has no price for profile `api`" in messages
    assert "compute profile `api` is not defined" in messages


def test_undefined_placement() -> None:
    (err,) = errors_of(GOOD.replace("  web:\n    dcloud:\n", "  web:\n    westcoast:\n"))
    assert "placement `westcoast` is not defined" in err.message and err.path == "deployment.web.westcoast"


def test_service_not_deployed() -> None:
    text = GOOD.replace("services:\n", "services:\n  db:\n    image: postgres\n")
    (err,) = errors_of(text)
    assert err.path == "services.db" and "is not deployed" in err.message


def test_version_number_hint() -> None:
    (err,) = errors_of(GOOD.replace('version: "2.0"', "version: 2.0"))
    assert err.path == "version" and 'quote it' in err.message


def test_unused_and_unknown_endpoints() -> None:
    text = "endpoints:\n  spare:\n    kind: ip\n" + GOOD
    (err,) = errors_of(text)
    assert err.path == "endpoints.spare" and "never used" in err.message
    text = GOOD.replace("          - global: true", "          - global: true\n            ip: myip")
    (err,) = errors_of(text)
    assert "unknown endpoint `myip`" in err.message


def test_gpu_rules() -> None:
    text = GOOD.replace("          - size: 1Gi\n", "          - size: 1Gi\n        gpu:\n          units: 1\n")
    (err,) = errors_of(text)
    assert "needs attributes" in err.message


def test_size_without_unit_is_refused_like_the_library() -> None:
    (err,) = errors_of(GOOD.replace("size: 512Mi", 'size: "512"'))
    assert err.path == "profiles.compute.web.resources.memory.size" and "512Mi" in err.message


def test_yaml_syntax_error_is_located() -> None:
    (err,) = errors_of(GOOD.replace("    image: nginx\n", "    image: [nginx\n"))
    assert err.line > 0 and err.message.startswith("YAML:")


def test_library_crash_cases_become_errors() -> None:
    (err,) = errors_of(GOOD.replace("amount: 1000", "amount: 1e21"))
    assert err.path.endswith("pricing.web.amount")
    (err,) = errors_of(GOOD.replace("count: 1", "count: 5000000000"))
    assert "out of range" in err.message
    (err,) = errors_of(GOOD.replace("deployment:\n", "deployment:\n  ghost:\n    dcloud:\n      profile: web\n"
                                                    "      count: 1\n"))
    assert "not defined under `services`" in err.message


def test_orphan_deployment_elsewhere_is_a_warning() -> None:
    sdl = parse_sdl(GOOD.replace("deployment:\n", "deployment:\n  ghost:\n    nowhere:\n      profile: x\n"
                                                  "      count: 1\n"))
    assert len(sdl.warnings) == 1 and "ignored" in sdl.warnings[0].message


def test_javascript_builtin_names_are_refused() -> None:
    (err,) = errors_of(GOOD.replace("services:\n", "services:\n  constructor:\n    image: x\n"))
    assert "cannot be used as a name" in err.message


def test_reclamation_is_opt_in() -> None:
    text = GOOD + "reclamation:\n  min_window: 2h\n"
    (err,) = errors_of(text)
    assert "`reclamation` is not allowed" in err.message
    sdl = parse_sdl(text, allow_reclamation=True)
    assert sdl.reclamation_min_window is not None and sdl.reclamation_min_window.total_seconds() == 7200
    assert sdl.version() == parse_sdl(GOOD).version()
    (err,) = errors_of(GOOD + "reclamation:\n  min_window: soon\n", allow_reclamation=True)
    assert "min_window" in err.message


def test_error_serialisation() -> None:
    errs = errors_of(GOOD.replace("image: nginx", "image: ''"))
    exc = SdlValidationError(errs)
    payload = exc.to_dict()
    assert payload["error"] == errs[0].message
    assert payload["errors"][0] == {"path": "services.web.image", "line": 4, "column": 12,
                                    "message": errs[0].message}
    assert str(errs[0]).startswith("4:12: ")


def test_non_utf8_and_oversized_input() -> None:
    (err,) = errors_of(b"version: \xff\n")
    assert "not UTF-8" in err.message
    (err,) = errors_of("#" * (2 << 20))
    assert "limit is 1 MiB" in err.message


def test_warning_for_strings_go_encodes_differently() -> None:
    sdl = parse_sdl(GOOD.replace("    image: nginx\n", '    image: nginx\n    env: ["A=\\u2028"]\n'))
    assert any("Go" in w.message for w in sdl.warnings)
    assert parse_sdl(GOOD.replace("    image: nginx\n", '    image: nginx\n    env: ["A=\\\\b"]\n')).warnings == []


@pytest.mark.parametrize(("network", "ok"), [("mainnet", False), ("sandbox", True), ("testnet", False)])
def test_usdc_denom_depends_on_network(network: str, ok: bool) -> None:
    sandbox_usdc = "ibc/12C6A0C374171B595A0A9E18B83FA09D295FB1F2D8C6DAA3AC28683471752D84"
    text = GOOD.replace("denom: uact", f"denom: {sandbox_usdc}")
    if ok:
        assert parse_sdl(text, network=network).placements[0].resources[0].price_denom == sandbox_usdc
    else:
        (err,) = errors_of(text, network=network)
        assert f"not accepted on {network}" in err.message
