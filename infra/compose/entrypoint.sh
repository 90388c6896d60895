#!/bin/sh
# Compose mounts each secret as a file in /run/secrets. One named like an environment variable
# (upper case: INTERNAL_TOKEN_PUBLIC_KEYS) becomes that variable, its text whole (a PEM's lines
# included), so that the settings read it as they read the rest of the environment; others
# (jwks.json) stay files. Then runs the command.
set -eu
for file in /run/secrets/*; do
  name=${file##*/}
  case $name in
    "" | *[!A-Z0-9_]*) continue ;;
  esac
  value=$(cat "$file")
  export "$name=$value"
done
exec "$@"
