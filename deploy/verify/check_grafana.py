#!/usr/bin/env python3
"""Structural check of the compose file's monitoring profile (deploy/verify.sh runs it; needs
PyYAML). Grafana itself is not in Debian and Docker Hub is unreachable in CI, so what can be
proven without running it is proven here:

- prometheus and grafana are services of docker-compose.yml behind the `monitoring` profile, and
  no other service has a profile (a plain `docker compose up` is unchanged);
- Prometheus reads deploy/prometheus/prometheus.yml where compose mounts it, and every scrape
  target is a pushback replica of the compose file on its PUSHBACK_HTTP__PORT;
- the datasource provisioning file parses and names one Prometheus datasource, the default, at
  the compose service and port Prometheus listens on;
- the dashboard provisioning file parses, is a `file` provider, and its path is the directory
  where compose mounts grafana/pushback.json; compose mounts grafana/provisioning where Grafana
  reads provisioning;
- grafana/pushback.json parses, and every panel's datasource is the dashboard's `datasource`
  variable of type prometheus (so it binds to the provisioned datasource).

Usage: check_grafana.py [DEPLOY_DIR]   (default: the directory above this script)
"""
import json
import os
import posixpath
import sys
from urllib.parse import urlparse

import yaml

problems = []


def check(ok, message):
    if not ok:
        problems.append(message)
    return ok


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def mounts(service):
    """(source, target) of each short-syntax volume of a compose service."""
    out = []
    for v in service.get("volumes", []):
        if isinstance(v, str):
            parts = v.split(":")
            out.append((parts[0], parts[1] if len(parts) > 1 else parts[0]))
        else:
            out.append((v.get("source"), v.get("target")))
    return out


def flag(command, name, default=None):
    for arg in command or []:
        if arg.startswith(f"--{name}="):
            return arg.split("=", 1)[1]
    return default


def check_compose(deploy):
    compose = load_yaml(os.path.join(deploy, "docker-compose.yml"))
    services = compose.get("services", {})
    for name in ("prometheus", "grafana"):
        if check(name in services, f"docker-compose.yml has no `{name}` service"):
            check(services[name].get("profiles") == ["monitoring"], f"`{name}` is not behind the monitoring profile")
    for name, s in services.items():
        if name not in ("prometheus", "grafana"):
            check("profiles" not in s, f"`{name}` has a profile: the default stack would change")
    return services


def check_prometheus(deploy, services):
    prom = services.get("prometheus", {})
    config_path = flag(prom.get("command"), "config.file", "/etc/prometheus/prometheus.yml")
    check(("./prometheus/prometheus.yml", config_path) in [(s, t) for s, t in mounts(prom)],
          f"prometheus/prometheus.yml is not mounted at --config.file ({config_path})")
    listen = flag(prom.get("command"), "web.listen-address", "0.0.0.0:9090")
    config = load_yaml(os.path.join(deploy, "prometheus", "prometheus.yml"))
    replicas = {}
    for name, s in services.items():
        env = s.get("environment", {}) or {}
        if isinstance(env, dict) and "PUSHBACK_HTTP__PORT" in env:
            replicas[name] = str(env["PUSHBACK_HTTP__PORT"])
    check(len(replicas) >= 2, f"expected two pushback replicas in docker-compose.yml, found {sorted(replicas)}")
    targets = [t for job in config.get("scrape_configs", []) for sc in job.get("static_configs", []) for t in sc.get("targets", [])]
    check(sorted(targets) == sorted(f"{n}:{p}" for n, p in replicas.items()),
          f"prometheus.yml targets {targets} are not the compose replicas {sorted(replicas)} on their ports")
    return int(listen.rsplit(":", 1)[1]), targets


def check_grafana(deploy, services, prom_port):
    grafana = services.get("grafana", {})
    gm = mounts(grafana)
    check(("./grafana/provisioning", "/etc/grafana/provisioning") in [(s, t.removesuffix(":ro")) for s, t in gm],
          "grafana/provisioning is not mounted at /etc/grafana/provisioning")
    dashboard_targets = [t for s, t in gm if s == "./grafana/pushback.json"]
    check(len(dashboard_targets) == 1, "grafana/pushback.json is not mounted into the grafana service once")

    ds = load_yaml(os.path.join(deploy, "grafana", "provisioning", "datasources", "prometheus.yml"))
    check(ds.get("apiVersion") == 1, "datasources: apiVersion is not 1")
    sources = ds.get("datasources", [])
    proms = [d for d in sources if d.get("type") == "prometheus"]
    if check(len(proms) == 1, f"datasources: expected one prometheus datasource, found {len(proms)}"):
        d = proms[0]
        url = urlparse(d.get("url", ""))
        check(d.get("isDefault") is True, "datasources: the Prometheus datasource is not the default")
        check(d.get("access") == "proxy", "datasources: access is not proxy (the browser cannot reach the compose network)")
        check(url.hostname == "prometheus" and url.hostname in services, f"datasources: url {d.get('url')} is not the compose prometheus service")
        check(url.port == prom_port, f"datasources: url port {url.port} is not the one Prometheus listens on ({prom_port})")

    prov = load_yaml(os.path.join(deploy, "grafana", "provisioning", "dashboards", "pushback.yml"))
    check(prov.get("apiVersion") == 1, "dashboards: apiVersion is not 1")
    providers = prov.get("providers", [])
    if check(len(providers) == 1, f"dashboards: expected one provider, found {len(providers)}"):
        p = providers[0]
        check(p.get("type") == "file", "dashboards: the provider is not of type file")
        path = (p.get("options") or {}).get("path")
        if dashboard_targets:
            mounted_dir = posixpath.dirname(dashboard_targets[0].removesuffix(":ro"))
            check(path == mounted_dir, f"dashboards: provider path {path} is not where pushback.json is mounted ({mounted_dir})")

    with open(os.path.join(deploy, "grafana", "pushback.json"), encoding="utf-8") as f:
        dashboard = json.load(f)
    variables = {v["name"]: v for v in dashboard.get("templating", {}).get("list", [])}
    var = variables.get("datasource", {})
    check(var.get("type") == "datasource" and var.get("query") == "prometheus",
          "pushback.json: no `datasource` variable of type datasource for prometheus")
    panels = dashboard.get("panels", [])
    check(len(panels) > 0, "pushback.json: no panels")
    for panel in panels:
        ds_ref = panel.get("datasource") or {}
        check(ds_ref.get("type") == "prometheus" and ds_ref.get("uid") == "${datasource}",
              f"pushback.json: panel {panel.get('title')!r} does not use the prometheus `datasource` variable")
    return dashboard, panels


def main():
    deploy = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    services = check_compose(deploy)
    prom_port, targets = check_prometheus(deploy, services)
    dashboard, panels = check_grafana(deploy, services, prom_port)
    if problems:
        for p in problems:
            print(f"check_grafana: {p}", file=sys.stderr)
        sys.exit(1)
    print(f"monitoring profile: prometheus scrapes {', '.join(targets)}; grafana provisions the Prometheus datasource "
          f"(http://prometheus:{prom_port}, default) and the dashboard {dashboard.get('title')!r} ({len(panels)} panels)")


if __name__ == "__main__":
    main()
