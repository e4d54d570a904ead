#!/usr/bin/env python3
"""Structural check of deploy/kubernetes, without a cluster or network.

`kubectl apply --dry-run=client` still asks an API server for its resource list (without one:
"unable to recognize ... connection refused"), so it cannot run here. Instead this reads the
kustomization (rendered by `kubectl kustomize` when --rendered FILE is given, else the files it
lists) and checks the fields pushback relies on:

- a Deployment of >= 2 replicas whose pods run as non-root (runAsNonRoot, uid 10001 as in the
  Dockerfile), read-only root filesystem, no privilege escalation, every capability dropped;
- startup and liveness probes GET /healthz, readiness GET /readyz, on the container's port,
  which is the ConfigMap's PUSHBACK_HTTP__PORT;
- cpu and memory requests and limits;
- envFrom names a ConfigMap and a Secret that the kustomization defines, the Secret is the
  `pushback-secrets` that deploy/README.md documents, it holds PUSHBACK_DATABASE__URL, every
  variable of the README's secrets table appears in secret.yaml (or, for the digest channel,
  configmap.yaml; set or commented out) and secret.yaml has no variable the table lacks;
- JSON logs (PUSHBACK_LOG__FORMAT=json); the Service's selector and target port match the pods.

Exit 0 when all hold, 1 listing every failure.
"""

import argparse
import re
import sys
from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parent.parent
K8S = DEPLOY / "kubernetes"
UID = 10001


def load(rendered):
    if rendered:
        return [d for d in yaml.safe_load_all(Path(rendered).read_text()) if d]
    kust = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    docs = []
    for name in kust.get("resources", []):
        docs += [d for d in yaml.safe_load_all((K8S / name).read_text()) if d]
    return docs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rendered", help="output of `kubectl kustomize deploy/kubernetes`")
    args = ap.parse_args()
    docs = load(args.rendered)
    errors = []

    def need(cond, msg):
        if not cond:
            errors.append(msg)

    by_kind = {}
    for d in docs:
        by_kind.setdefault(d.get("kind"), []).append(d)
    for kind in ("Deployment", "Service", "ConfigMap", "Secret"):
        need(len(by_kind.get(kind, [])) == 1, f"expected exactly one {kind}, found {len(by_kind.get(kind, []))}")
    if errors:
        print("\n".join(errors))
        return 1
    dep, svc, cm, secret = (by_kind[k][0] for k in ("Deployment", "Service", "ConfigMap", "Secret"))
    spec = dep["spec"]
    pod = spec["template"]["spec"]
    labels = spec["template"]["metadata"].get("labels", {})
    need(spec.get("replicas", 1) >= 2, "Deployment: replicas < 2")
    need(all(labels.get(k) == v for k, v in spec["selector"]["matchLabels"].items()), "Deployment: selector does not match the pod labels")
    psc = pod.get("securityContext", {})
    need(psc.get("runAsNonRoot") is True, "pod securityContext.runAsNonRoot is not true")
    need(psc.get("runAsUser") == UID and psc.get("runAsGroup") == UID, f"pod runs as {psc.get('runAsUser')}:{psc.get('runAsGroup')}, not the image's {UID}:{UID}")
    need(pod.get("terminationGracePeriodSeconds", 30) >= 30, "terminationGracePeriodSeconds < 30 (pushback drains for up to 30 s)")
    containers = pod.get("containers", [])
    need(len(containers) == 1, "expected one container")
    c = containers[0]
    csc = c.get("securityContext", {})
    need(csc.get("runAsNonRoot") is True, "container securityContext.runAsNonRoot is not true")
    need(csc.get("readOnlyRootFilesystem") is True, "container root filesystem is writable")
    need(csc.get("allowPrivilegeEscalation") is False, "allowPrivilegeEscalation is not false")
    need(csc.get("capabilities", {}).get("drop") == ["ALL"], "capabilities are not all dropped")
    need(any(m.get("mountPath") == "/tmp" for m in c.get("volumeMounts", [])), "no writable /tmp with a read-only root filesystem")
    res = c.get("resources", {})
    for part in ("requests", "limits"):
        for r in ("cpu", "memory"):
            need(r in res.get(part, {}), f"resources.{part}.{r} missing")
    ports = {p.get("name"): p.get("containerPort") for p in c.get("ports", [])}
    data = cm.get("data", {})
    need(str(ports.get("http")) == data.get("PUSHBACK_HTTP__PORT"), f"container port http={ports.get('http')} but PUSHBACK_HTTP__PORT={data.get('PUSHBACK_HTTP__PORT')}")
    need(data.get("PUSHBACK_HTTP__HOST") == "0.0.0.0", "PUSHBACK_HTTP__HOST is not 0.0.0.0 (probes would not reach it)")
    need(data.get("PUSHBACK_LOG__FORMAT") == "json", "PUSHBACK_LOG__FORMAT is not json")
    for probe, path in (("startupProbe", "/healthz"), ("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        get = c.get(probe, {}).get("httpGet", {})
        need(get.get("path") == path, f"{probe} is not GET {path} (found {get.get('path')})")
        need(get.get("port") in ports or get.get("port") in ports.values(), f"{probe} port {get.get('port')} is not a container port")
    refs = c.get("envFrom", [])
    cms = [r["configMapRef"]["name"] for r in refs if "configMapRef" in r]
    secrets = [r["secretRef"]["name"] for r in refs if "secretRef" in r]
    need(cms == [cm["metadata"]["name"]], f"envFrom ConfigMaps {cms} != defined {cm['metadata']['name']}")
    need(secrets == [secret["metadata"]["name"]], f"envFrom Secrets {secrets} != defined {secret['metadata']['name']}")
    readme = (DEPLOY / "README.md").read_text()
    for name in secrets:
        need(f"`{name}`" in readme, f"{name} is not named in deploy/README.md")
    need("PUSHBACK_DATABASE__URL" in secret.get("stringData", {}), "Secret lacks PUSHBACK_DATABASE__URL")
    documented = set(re.findall(r"^\| `(PUSHBACK_[A-Z_]+)` \|", readme, re.M))
    need(len(documented) >= 5, f"could not read the README's secrets table (found {sorted(documented)})")
    secret_text = (K8S / "secret.yaml").read_text()
    config_text = (K8S / "configmap.yaml").read_text()
    for var in sorted(documented):
        # The table keeps the (not secret) digest channel with the Slack secrets; Kubernetes has it in the ConfigMap.
        need(any(re.search(rf"^\s*#?\s*{var}:", t, re.M) for t in (secret_text, config_text)),
             f"README documents {var} but neither secret.yaml nor configmap.yaml mentions it")
    for var in re.findall(r"^\s*#?\s*(PUSHBACK_[A-Z_]+):", secret_text, re.M):
        need(var in documented, f"secret.yaml has {var}, which the README's secrets table does not document")
    sspec = svc["spec"]
    need(all(labels.get(k) == v for k, v in sspec.get("selector", {}).items()) and sspec.get("selector"), "Service selector does not match the pods")
    for p in sspec.get("ports", []):
        need(p.get("targetPort") in ports or p.get("targetPort") in ports.values(), f"Service targetPort {p.get('targetPort')} is not a container port")
    if errors:
        print("kubernetes check FAILED:\n  " + "\n  ".join(errors))
        return 1
    print(f"kubernetes check: {len(docs)} objects; probes /healthz and /readyz, non-root {UID}, resources, "
          f"envFrom {cms + secrets}, {len(documented)} documented secret variables: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
