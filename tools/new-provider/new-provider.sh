#!/usr/bin/env bash
# ./run.sh new-provider NAME: writes a commented skeleton profile (fixtures/providers/NAME/profile.json) and runsettings
# (runsettings/NAME.runsettings) for a provider the suite has never seen. Fill in every "CHANGE ME", then run
# ./run.sh doctor runsettings/NAME.runsettings, then ./run.sh conformance runsettings/NAME.runsettings. OUT (default: the repository root) is where both go.
set -euo pipefail
name=${1:?usage: ./run.sh new-provider NAME}
[[ $name =~ ^[a-z0-9][a-z0-9._-]*$ ]] || { echo "[run.sh] error: NAME must be lower-case letters, digits, '.', '_' or '-'" >&2; exit 2; }
out=${OUT:-$(cd "$(dirname "$0")/../.." && pwd)}
profile="$out/fixtures/providers/$name/profile.json"
settings="$out/runsettings/$name.runsettings"
for f in "$profile" "$settings"; do [ -e "$f" ] && { echo "[run.sh] error: $f exists; not overwritten" >&2; exit 2; }; done
mkdir -p "$(dirname "$profile")" "$(dirname "$settings")"
cat > "$profile" <<JSON
// Profile of $name (format: docs/profile-format.md; login pages: docs/login-drivers.md). Comments are allowed.
{
  "\$schema": "../profile.schema.json",                // editors complete and validate the fields from this schema
  "name": "$name",
  "version": "0.0.0",                                   // CHANGE ME: the provider's version (names its baseline file)
  "issuer": "https://idp.example.test",                 // CHANGE ME: the issuer, exactly as in its discovery document
  "start": { "mode": "external" },                      // already running; "embedded" starts it (start contract: profile-format.md)
  "callback": {
    "host": "127.0.0.1",                                // the redirect URIs registered at the provider must use this host…
    "port": 47900,                                      // …and this port (0 only when the provider accepts any loopback port)
    "path": "/callback",
    "postLogoutPath": "/logout-callback"
  },
  "loginDriver": "declarative",
  "loginPages": {                                       // Playwright selectors: CSS, role=…, text=… (docs/login-drivers.md)
    "login": { "username": "input[name=username]", "password": "input[type=password]", "submit": "button[type=submit]" },  // CHANGE ME
    "consent": { "page": "text=Authorize", "approve": "role=button[name=/allow|accept|authorize/i]" },                     // CHANGE ME or remove
    "failedLogin": { "page": "[role=alert]" },                                                                              // CHANGE ME
    "error": { "page": "[role=alert]" }                                                                                     // CHANGE ME
  },
  "clients": {
    "confidential": {                                   // CHANGE ME: a confidential client registered with {callback} as redirect URI
      "clientId": "conformance",
      "clientSecret": "{env:OIDC_CLIENT_SECRET}",       // secrets can come from the environment
      "tokenEndpointAuthMethods": ["client_secret_basic"],
      "scope": "openid profile email",
      "grantTypes": ["authorization_code", "refresh_token"],
      "responseTypes": ["code"]
    }
  },
  "users": [
    {
      "username": "alice",                               // CHANGE ME: a test user
      "password": "{env:OIDC_USER_PASSWORD}",
      "subject": null,                                  // null: learnt from the first token
      "claims": { "profile": { "name": "Alice" }, "email": { "email": "alice@example.test" } }  // CHANGE ME: claims per scope
    }
  ],
  "features": {                                         // what the provider offers; false makes those checks Inconclusive
    "authorizationCode": true, "implicit": false, "hybrid": false, "password": false, "clientCredentials": false,
    "refreshToken": true, "pkce": true, "introspection": false, "revocation": false, "userinfo": true,
    "rpInitiatedLogout": false, "formPost": false
  },
  "timeouts": { "requestSeconds": 10, "navigationSeconds": 15 }
}
JSON
cat > "$settings" <<XML
<?xml version="1.0" encoding="utf-8"?>
<!-- Conformance run against $name: ./run.sh conformance runsettings/$name.runsettings (written by ./run.sh new-provider). -->
<RunSettings>
  <RunConfiguration>
    <ResultsDirectory>../artifacts/$name</ResultsDirectory>
    <TestSessionTimeout>1800000</TestSessionTimeout>
  </RunConfiguration>
  <TestRunParameters>
    <!-- Relative to the repository root; the environment variable OIDC_PROFILE overrides it. -->
    <Parameter name="profile" value="fixtures/providers/$name/profile.json" />
    <Parameter name="artifacts" value="artifacts/$name" />
  </TestRunParameters>
</RunSettings>
XML
echo "[run.sh] wrote $profile and $settings: fill in every CHANGE ME, then ./run.sh doctor runsettings/$name.runsettings until it finds no problem, then ./run.sh conformance runsettings/$name.runsettings" >&2
