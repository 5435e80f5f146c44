#!/usr/bin/env bash
# Browser tests drive Debian's Chromium at /usr/bin/chromium. Install it when missing and possible.
set -u
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installation de chromium (paquet Debian) pour les tests de navigateur…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
    && [ -x /usr/bin/chromium ] && exit 0
fi
if [ "${CI:-}" = "true" ]; then
  echo "ERREUR : chromium est introuvable et n'a pas pu être installé ; la CI exige les tests de navigateur." >&2
  exit 1
fi
cat >&2 <<'TXT'
############################################################################
#  ATTENTION : /usr/bin/chromium est absent. Les tests de navigateur       #
#  (parcours, accessibilité axe-core) seront IGNORÉS dans cette exécution.  #
#  Installez-le : sudo apt-get install chromium                             #
############################################################################
TXT
exit 0
