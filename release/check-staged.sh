#!/usr/bin/env bash
# Checks that a release build has what Maven Central's validation asks for (POM fields, sources and
# Javadoc jars, a Javadoc page per public type, the BOM), before anything is signed or uploaded.
#
#   release/check-staged.sh            build with -Prelease -Dgpg.skip (tests skipped), then check
#   release/check-staged.sh --no-build check what the last `./mvnw -Prelease -Dgpg.skip verify` left
#   release/check-staged.sh --signed   build with signing (gpg and its key needed), and check the .asc files
set -euo pipefail
cd "$(dirname "$0")/.."

MVN=(./mvnw -B --no-transfer-progress)
signed=()
case "${1:-}" in
    --no-build) ;;
    --signed)
        signed=(--signed)
        "${MVN[@]}" -Prelease -DskipTests -Djacoco.skip -Dinvoker.skip verify ;;
    *)
        "${MVN[@]}" -Prelease -Dgpg.skip -DskipTests -Djacoco.skip -Dinvoker.skip verify ;;
esac

mkdir -p target
# The effective POMs are what Central sees once each POM's parents are resolved.
"${MVN[@]}" -q -Prelease help:effective-pom -Doutput="$PWD/target/effective-poms.xml" >/dev/null
java release/CheckStaged.java target/effective-poms.xml "${signed[@]}"
