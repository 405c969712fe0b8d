"""Signatures that mean something: a signature is trusted only against a key the reader names.

The matrix of ``kikan report verify``: signed / unsigned × key given or not × tampered or not.
"""

from __future__ import annotations

import json

import pytest
from report_factory import make_report

from kikan.cli import main
from reports.digest import generate_keypair, seal
from reports.trust import TrustStore, assess, fingerprint, normalise_fingerprint


@pytest.fixture(scope="module")
def keys():
    return {"vendor": generate_keypair(), "forger": generate_keypair()}


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def base_report():
    return make_report({"JUKI-001": ["passed"], "JUKI-002": ["failed"]})


def edited(report):
    """The report with a failure turned into a pass by hand (statuses and summary kept consistent)."""
    from reports.status import finalise

    data = json.loads(json.dumps(report))
    data["tests"][1]["outcome"] = "passed"
    data["tests"][1].pop("failure")
    return finalise(data)


@pytest.fixture
def files(tmp_path, keys):
    vendor_private, vendor_public = keys["vendor"]
    forger_private, forger_public = keys["forger"]
    report = base_report()
    return {
        "signed": write(tmp_path, "signed.json", seal(report, vendor_private)),
        "unsigned": write(tmp_path, "unsigned.json", seal(report)),
        "signed_tampered": write(
            tmp_path,
            "signed_tampered.json",
            {**edited(seal(report, vendor_private)), **_seal_of(report, vendor_private)},
        ),
        "unsigned_tampered": write(
            tmp_path, "unsigned_tampered.json", {**edited(report), **_seal_of(report)}
        ),
        "resigned": write(tmp_path, "resigned.json", seal(edited(report), forger_private)),
        "resealed": write(tmp_path, "resealed.json", seal(edited(report))),
        "vendor.pub": write_bytes(tmp_path / "vendor.pub", vendor_public),
        "forger.pub": write_bytes(tmp_path / "forger.pub", forger_public),
    }


def _seal_of(report, key=None):
    sealed = seal(report, key)
    return {k: sealed[k] for k in ("digest", "signature") if k in sealed}


def write_bytes(path, data):
    path.write_bytes(data)
    return path


def verify(files, name, *options, capsys):
    code = main(["report", "verify", str(files[name]), *map(str, options)])
    return code, capsys.readouterr().out


def test_signed_and_the_signers_key_given_is_valid(files, capsys) -> None:
    code, out = verify(files, "signed", "--public-key", files["vendor.pub"], capsys=capsys)
    assert (
        code == 0 and out.startswith("有効 / VALID") and fingerprint(files["vendor.pub"].read_bytes()) in out
    )


def test_signed_without_a_key_names_the_signer_as_unknown(files, capsys) -> None:
    code, out = verify(files, "signed", capsys=capsys)
    assert code == 3
    assert (
        out.startswith("署名者不明 / SIGNER UNKNOWN") and fingerprint(files["vendor.pub"].read_bytes()) in out
    )
    assert "有効 / VALID" not in out


def test_signed_by_the_fingerprint_or_a_trusted_keys_file(files, tmp_path, capsys, monkeypatch) -> None:
    fp = fingerprint(files["vendor.pub"].read_bytes())
    assert verify(files, "signed", "--fingerprint", fp.upper().replace("SHA256:", ""), capsys=capsys)[0] == 0
    trusted = tmp_path / "trusted.txt"
    trusted.write_text(f"# 信頼する鍵\n{fp} テスト社\n", encoding="utf-8")
    code, out = verify(files, "signed", "--trusted-keys", trusted, capsys=capsys)
    assert code == 0 and "テスト社" in out
    monkeypatch.setenv("KIKAN_TRUSTED_KEYS", str(trusted))
    assert verify(files, "signed", capsys=capsys)[0] == 0


def test_signed_by_another_key_than_the_one_given_is_not_valid(files, capsys) -> None:
    code, out = verify(files, "signed", "--public-key", files["forger.pub"], capsys=capsys)
    assert code == 3 and "有効 / VALID" not in out


def test_edited_by_hand_and_resigned_with_another_key_is_not_valid_for_the_original_signer(
    files, capsys
) -> None:
    code, out = verify(files, "resigned", "--public-key", files["vendor.pub"], capsys=capsys)
    assert code == 3 and "有効 / VALID" not in out
    assert fingerprint(files["forger.pub"].read_bytes()) in out
    code, _ = verify(files, "resigned", capsys=capsys)
    assert code == 3


@pytest.mark.parametrize("name", ["signed_tampered", "unsigned_tampered"])
@pytest.mark.parametrize("with_key", [True, False])
def test_tampered_is_invalid_with_or_without_a_key(files, capsys, name, with_key) -> None:
    options = ["--public-key", files["vendor.pub"]] if with_key else []
    code, out = verify(files, name, *options, capsys=capsys)
    assert code == 1 and out.splitlines()[-1].startswith("無効 / INVALID")
    assert any(line.startswith("/digest/value") for line in out.splitlines())


@pytest.mark.parametrize("name", ["unsigned", "resealed"])
@pytest.mark.parametrize("with_key", [True, False])
def test_unsigned_never_claims_to_prove_anything(files, capsys, name, with_key) -> None:
    options = ["--public-key", files["vendor.pub"]] if with_key else []
    code, out = verify(files, name, *options, capsys=capsys)
    assert code == 4 and out.startswith("署名なし / UNSIGNED")
    assert "改ざんなし" not in out and "intact" not in out and "有効 / VALID" not in out
    assert "anyone who edits the file can recompute it" in out


def test_bad_fingerprint_and_bad_trusted_keys_file_are_one_line_errors(files, tmp_path, capsys) -> None:
    assert main(["report", "verify", str(files["signed"]), "--fingerprint", "abc"]) == 2
    assert "not a key fingerprint" in capsys.readouterr().err
    bad = tmp_path / "bad.txt"
    bad.write_text("# ok\nnot-a-key vendor\n", encoding="utf-8")
    assert main(["report", "verify", str(files["signed"]), "--trusted-keys", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:2:" in err and len(err.strip().splitlines()) == 1


def test_assess_states(keys) -> None:
    private, public = keys["vendor"]
    report = base_report()
    trusted = TrustStore()
    trusted.add_key(public, "テスト社")
    assert assess(seal(report, private), trusted).state == "trusted"
    assert assess(seal(report, private), trusted).signer_name == "テスト社"
    assert assess(seal(report, private)).state == "unknown_signer"
    assert assess(seal(report)).state == "unsigned"
    assert assess(seal(report), trusted).state == "unsigned"
    tampered = {**edited(report), **_seal_of(report, private)}
    assert assess(tampered, trusted).state == "invalid"


def test_trusted_keys_file_reads_keys_fingerprints_and_pem(keys) -> None:
    _, vendor_public = keys["vendor"]
    _, forger_public = keys["forger"]
    from reports.digest import load_public_key, raw_public_key_b64

    raw = raw_public_key_b64(load_public_key(forger_public))
    store = TrustStore()
    store.add_file_text(vendor_public.decode("ascii") + f"\n{raw}  別の社  # comment\n")
    assert store.name(fingerprint(vendor_public)) == ""
    assert store.name(fingerprint(forger_public)) == "別の社"


def test_fingerprint_forms() -> None:
    fp = "sha256:" + "ab" * 32
    assert normalise_fingerprint(fp.upper()) == fp
    assert normalise_fingerprint(":".join("ab" for _ in range(32))) == fp
    with pytest.raises(ValueError):
        normalise_fingerprint("sha256:" + "ab" * 31)
