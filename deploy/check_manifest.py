#!/usr/bin/env python3
"""Checks deploy/slack-app-manifest.yml (or its Socket Mode variant,
deploy/slack-app-manifest.socket.yml) against the parts of Slack's manifest schema
(slackapi/manifest-schema, manifest.schema.1.0.0.json) that pushback relies on, plus pushback's
own expectations: the two commands, one host for every URL, exactly six bot scopes, the Home tab
and its `app_home_opened` event on. With `socket_mode_enabled: true` no request URL may appear;
without it, events go to /slack/events.

    python3 deploy/check_manifest.py                  # the manifest beside this script
    python3 deploy/check_manifest.py deploy/slack-app-manifest.socket.yml
    python3 deploy/check_manifest.py --all-yaml       # also parse every YAML file in deploy/

Exits 0 when everything holds, 1 listing every violation, 2 when a file cannot be read.
Needs PyYAML (pip install pyyaml).
"""

import argparse
import sys
from pathlib import Path
from urllib.parse import urlparse

try:
    import yaml
except ImportError:
    sys.exit("check_manifest.py needs PyYAML: pip install pyyaml")

HERE = Path(__file__).resolve().parent
DEFAULT_MANIFEST = HERE / "slack-app-manifest.yml"

BOT_SCOPES = {"commands", "chat:write", "chat:write.public", "files:write", "channels:read", "groups:read"}
COMMANDS = {"/evidence", "/pushback"}
COMMANDS_PATH = "/slack/commands"
INTERACTIONS_PATH = "/slack/interactions"
EVENTS_PATH = "/slack/events"

# Keys the schema allows (additionalProperties: false) in the sections this manifest uses.
TOP_LEVEL_KEYS = {"$schema", "_metadata", "app_directory", "display_information", "features",
                  "oauth_config", "settings", "functions", "workflows", "datastores",
                  "outgoing_domains", "types", "external_auth_providers"}
DISPLAY_KEYS = {"name", "description", "background_color", "long_description"}
FEATURE_KEYS = {"app_home", "bot_user", "functions", "shortcuts", "slash_commands",
                "workflow_steps", "unfurl_domains"}
BOT_USER_KEYS = {"display_name", "always_online"}
COMMAND_KEYS = {"command", "url", "description", "usage_hint", "should_escape"}
SETTINGS_KEYS = {"allowed_ip_address_ranges", "event_subscriptions", "incoming_webhooks",
                 "interactivity", "org_deploy_enabled", "socket_mode_enabled", "is_hosted",
                 "token_rotation_enabled", "siws_links", "hermes_app_type", "function_runtime"}
INTERACTIVITY_KEYS = {"is_enabled", "request_url", "message_menu_options_url"}
APP_HOME_KEYS = {"home_tab_enabled", "messages_tab_enabled", "messages_tab_read_only_enabled"}
EVENT_KEYS = {"request_url", "bot_events", "user_events", "metadata_subscriptions"}
SOCKET_BOT_EVENTS = {"app_home_opened"}


class Checker:
    def __init__(self):
        self.errors = []

    def fail(self, where, message):
        self.errors.append(f"{where}: {message}")

    def mapping(self, value, where):
        if not isinstance(value, dict):
            self.fail(where, f"must be a mapping, found {type(value).__name__}")
            return {}
        return value

    def only_keys(self, value, allowed, where):
        for key in sorted(set(value) - allowed, key=str):
            self.fail(where, f"unknown key '{key}' (Slack rejects it)")

    def string(self, value, where, min_len=1, max_len=None, required=True):
        if value is None:
            if required:
                self.fail(where, "is required")
            return None
        if not isinstance(value, str):
            self.fail(where, f"must be a string, found {type(value).__name__}")
            return None
        if len(value) < min_len:
            self.fail(where, f"must have at least {min_len} character(s)")
        if max_len is not None and len(value) > max_len:
            self.fail(where, f"is {len(value)} characters, at most {max_len} allowed")
        return value

    def boolean(self, value, where, expected=None, required=False):
        if value is None:
            if required:
                self.fail(where, "is required")
            return
        if not isinstance(value, bool):
            self.fail(where, f"must be true or false, found {value!r}")
        elif expected is not None and value is not expected:
            self.fail(where, f"must be {str(expected).lower()}")

    def https_url(self, value, where, path, max_len):
        url = self.string(value, where, max_len=max_len)
        if url is None:
            return None
        parsed = urlparse(url)
        if parsed.scheme != "https" or not parsed.netloc:
            self.fail(where, f"must be an https:// URL (Slack calls only https), found '{url}'")
            return None
        if parsed.path != path:
            self.fail(where, f"must end in {path} (pushback's route), found '{parsed.path}'")
        return parsed.netloc

    def check(self, manifest):
        m = self.mapping(manifest, "manifest")
        self.only_keys(m, TOP_LEVEL_KEYS, "top level")
        hosts = {}

        meta = self.mapping(m.get("_metadata", {}), "_metadata")
        if meta.get("major_version") != 1:
            self.fail("_metadata.major_version", f"must be 1, found {meta.get('major_version')!r}")

        display = self.mapping(m.get("display_information"), "display_information")
        self.only_keys(display, DISPLAY_KEYS, "display_information")
        self.string(display.get("name"), "display_information.name", max_len=35)
        self.string(display.get("description"), "display_information.description", max_len=140,
                    required=False)

        socket = self.mapping(m.get("settings"), "settings").get("socket_mode_enabled") is True
        features = self.mapping(m.get("features"), "features")
        self.only_keys(features, FEATURE_KEYS, "features")
        bot_user = self.mapping(features.get("bot_user"), "features.bot_user")
        self.only_keys(bot_user, BOT_USER_KEYS, "features.bot_user")
        self.string(bot_user.get("display_name"), "features.bot_user.display_name", max_len=80)
        self.boolean(bot_user.get("always_online"), "features.bot_user.always_online")

        commands = features.get("slash_commands")
        if not isinstance(commands, list) or not commands:
            self.fail("features.slash_commands", "must be a non-empty list")
            commands = []
        if len(commands) > 50:
            self.fail("features.slash_commands", f"has {len(commands)} entries, at most 50")
        seen = []
        for i, raw in enumerate(commands):
            where = f"features.slash_commands[{i}]"
            cmd = self.mapping(raw, where)
            name = self.string(cmd.get("command"), f"{where}.command", min_len=2, max_len=32)
            if name is not None:
                if not name.startswith("/"):
                    self.fail(f"{where}.command", f"must start with '/', found '{name}'")
                if name != name.lower() or " " in name:
                    self.fail(f"{where}.command", f"must be lower case without spaces, found '{name}'")
                where = f"features.slash_commands[{name}]"
                seen.append(name)
            self.only_keys(cmd, COMMAND_KEYS, where)
            self.string(cmd.get("description"), f"{where}.description", max_len=2000)
            self.string(cmd.get("usage_hint"), f"{where}.usage_hint", max_len=1000, required=False)
            self.boolean(cmd.get("should_escape"), f"{where}.should_escape")
            if socket:
                if "url" in cmd:
                    self.fail(f"{where}.url", "must be absent with socket_mode_enabled (Slack delivers over the socket)")
                continue
            host = self.https_url(cmd.get("url"), f"{where}.url", COMMANDS_PATH, 3000)
            if host:
                hosts[f"{where}.url"] = host
        duplicates = sorted({c for c in seen if seen.count(c) > 1})
        if duplicates:
            self.fail("features.slash_commands", f"commands listed twice: {', '.join(duplicates)}")
        if set(seen) != COMMANDS:
            self.fail("features.slash_commands",
                      f"must be exactly {sorted(COMMANDS)}, found {sorted(set(seen))}")

        oauth = self.mapping(m.get("oauth_config"), "oauth_config")
        scopes = self.mapping(oauth.get("scopes"), "oauth_config.scopes")
        bot = scopes.get("bot")
        if not isinstance(bot, list) or not all(isinstance(s, str) for s in bot):
            self.fail("oauth_config.scopes.bot", "must be a list of scope names")
        else:
            if len(bot) != len(set(bot)):
                self.fail("oauth_config.scopes.bot", "lists a scope twice")
            missing, extra = BOT_SCOPES - set(bot), set(bot) - BOT_SCOPES
            if missing:
                self.fail("oauth_config.scopes.bot", f"missing {sorted(missing)}")
            if extra:
                self.fail("oauth_config.scopes.bot", f"not needed, remove {sorted(extra)}")
        if scopes.get("user"):
            self.fail("oauth_config.scopes.user", "pushback asks for no user scopes")

        settings = self.mapping(m.get("settings"), "settings")
        self.only_keys(settings, SETTINGS_KEYS, "settings")
        interactivity = self.mapping(settings.get("interactivity"), "settings.interactivity")
        self.only_keys(interactivity, INTERACTIVITY_KEYS, "settings.interactivity")
        self.boolean(interactivity.get("is_enabled"), "settings.interactivity.is_enabled",
                     expected=True, required=True)
        events_host = self.check_home_and_events(features, settings, socket)
        if events_host:
            hosts["settings.event_subscriptions.request_url"] = events_host
        if socket:
            self.check_socket(interactivity)
        else:
            host = self.https_url(interactivity.get("request_url"),
                                  "settings.interactivity.request_url", INTERACTIONS_PATH, 3500)
            if host:
                hosts["settings.interactivity.request_url"] = host
            self.boolean(settings.get("socket_mode_enabled"), "settings.socket_mode_enabled",
                         expected=False, required=True)
        for key in ("org_deploy_enabled", "token_rotation_enabled"):
            self.boolean(settings.get(key), f"settings.{key}", expected=False, required=True)

        if len(set(hosts.values())) > 1:
            listing = ", ".join(f"{k} -> {v}" for k, v in hosts.items())
            self.fail("URLs", f"must all name the same host (one pushback service): {listing}")
        return self.errors


    def check_socket(self, interactivity):
        """Socket Mode: no request URL for buttons."""
        if "request_url" in interactivity:
            self.fail("settings.interactivity.request_url",
                      "must be absent with socket_mode_enabled (buttons arrive over the socket)")

    def check_home_and_events(self, features, settings, socket):
        """The Home tab and app_home_opened on; events over the socket, or to /slack/events.
        Returns the events request URL's host (HTTP only)."""
        home = self.mapping(features.get("app_home", {}), "features.app_home")
        self.only_keys(home, APP_HOME_KEYS, "features.app_home")
        self.boolean(home.get("home_tab_enabled"), "features.app_home.home_tab_enabled",
                     expected=True, required=True)
        events = self.mapping(settings.get("event_subscriptions", {}), "settings.event_subscriptions")
        self.only_keys(events, EVENT_KEYS, "settings.event_subscriptions")
        bot_events = events.get("bot_events")
        if not isinstance(bot_events, list) or set(bot_events) != SOCKET_BOT_EVENTS:
            self.fail("settings.event_subscriptions.bot_events",
                      f"must be exactly {sorted(SOCKET_BOT_EVENTS)}, found {bot_events!r}")
        if socket:
            if "request_url" in events:
                self.fail("settings.event_subscriptions.request_url",
                          "must be absent with socket_mode_enabled (events arrive over the socket)")
            return None
        return self.https_url(events.get("request_url"), "settings.event_subscriptions.request_url",
                              EVENTS_PATH, 3500)


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except OSError as e:
        print(f"cannot read {path}: {e}", file=sys.stderr)
        sys.exit(2)
    except yaml.YAMLError as e:
        print(f"{path} is not valid YAML: {e}", file=sys.stderr)
        sys.exit(1)


def parse_all_yaml(root):
    """Every *.yml / *.yaml under root must parse (all documents in each file)."""
    failures = 0
    files = sorted(p for p in root.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())
    for path in files:
        try:
            with open(path, encoding="utf-8") as f:
                docs = [d for d in yaml.safe_load_all(f) if d is not None]
            print(f"ok    {path.relative_to(root.parent)} ({len(docs)} document(s))")
        except yaml.YAMLError as e:
            failures += 1
            print(f"FAIL  {path.relative_to(root.parent)}: {e}", file=sys.stderr)
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("manifest", nargs="?", default=str(DEFAULT_MANIFEST))
    parser.add_argument("--all-yaml", action="store_true",
                        help="also parse every YAML file under deploy/")
    args = parser.parse_args()

    errors = Checker().check(load(args.manifest))
    if errors:
        print(f"{args.manifest}: {len(errors)} problem(s):", file=sys.stderr)
        for error in errors:
            print(f"  - {error}", file=sys.stderr)
    else:
        print(f"{args.manifest}: ok")

    yaml_failures = parse_all_yaml(HERE) if args.all_yaml else 0
    sys.exit(1 if errors or yaml_failures else 0)


if __name__ == "__main__":
    main()
