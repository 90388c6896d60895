"""The services and the gateway read their secrets from the files compose and the Helm chart
mount in /run/secrets — one per setting, named as its variable — so that no entrypoint puts
them in the environment; a variable of the same name still wins."""

from pathlib import Path

import pytest
from gateway.settings import Settings as GatewaySettings
from kit.settings import mounted_secrets
from members.config import Settings as MembersSettings

ROOT = Path(__file__).resolve().parents[2]


PUBLIC_KEYS = "-----BEGIN PUBLIC KEY-----\nkey\n-----END PUBLIC KEY-----\n"


def kubernetes_secret_volume(folder: Path, files: dict[str, str]) -> Path:
    """As the kubelet lays a Secret out: each name a link into ..data, itself a link to the
    folder of the current version."""
    version = folder / "..2026_12_06_18_00_00.000000001"
    version.mkdir(parents=True)
    for name, text in files.items():
        (version / name).write_text(text)
    (folder / "..data").symlink_to(version.name)
    for name in files:
        (folder / name).symlink_to(f"..data/{name}")
    return folder


def test_a_service_reads_its_keys_and_connections_from_the_mounted_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("INTERNAL_TOKEN_PUBLIC_KEYS", "MONGODB_URL", "MEMBER_KEY_SECRET"):
        monkeypatch.delenv(name, raising=False)
    secrets = kubernetes_secret_volume(
        tmp_path / "secrets",
        {
            "INTERNAL_TOKEN_PUBLIC_KEYS": PUBLIC_KEYS,
            "MONGODB_URL": "mongodb://members:pass-word@mongodb:27017/partyorg_members",
            "MEMBER_KEY_SECRET": "digest-key",
        },
    )
    settings = MembersSettings(_secrets_dir=mounted_secrets(secrets))
    assert settings.internal_token_public_keys == PUBLIC_KEYS.strip()
    assert settings.mongodb_url == "mongodb://members:pass-word@mongodb:27017/partyorg_members"
    assert settings.member_key_secret == "digest-key"


def test_a_variable_of_the_same_name_wins_over_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "MEMBER_KEY_SECRET").write_text("from-the-file")
    monkeypatch.setenv("MEMBER_KEY_SECRET", "from-the-environment")
    settings = MembersSettings(_secrets_dir=mounted_secrets(tmp_path))
    assert settings.member_key_secret == "from-the-environment"


def test_the_gateway_reads_its_signing_key_from_the_file_compose_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY", raising=False)
    (tmp_path / "GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY").write_text("private-key-pem\n")
    (tmp_path / "jwks.json").write_text('{"keys": []}')
    settings = GatewaySettings(_secrets_dir=tmp_path)
    assert settings.internal_token_private_key is not None
    assert settings.internal_token_private_key.get_secret_value() == "private-key-pem"


def test_without_a_mounted_folder_no_secret_files_are_looked_for(tmp_path: Path) -> None:
    assert mounted_secrets(tmp_path / "absent") is None


def test_no_image_exports_secrets_to_the_environment() -> None:
    for dockerfile in (ROOT / "services" / "Dockerfile", ROOT / "gateway" / "Dockerfile"):
        assert "ENTRYPOINT" not in dockerfile.read_text(), dockerfile
    assert not (ROOT / "infra" / "compose" / "entrypoint.sh").exists()
