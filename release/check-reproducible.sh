#!/usr/bin/env bash
# Checks that the build is reproducible: builds the published jars (main, sources, Javadoc) twice from
# clean and compares them byte for byte. project.build.outputTimestamp in the parent POM fixes the
# time of every jar entry; anything else that differs (a date, an order, a path) fails the check.
#
#   release/check-reproducible.sh            keep the jars of the last build as the first, build once more
#   release/check-reproducible.sh --twice    build both times
set -euo pipefail
cd "$(dirname "$0")/.."

MVN=(./mvnw -B --no-transfer-progress -q)
MODULES=(core junit-extension)
build() {
    "${MVN[@]}" clean package -DskipTests -Djacoco.skip -pl "$(IFS=,; echo "${MODULES[*]}")"
}
jars() {
    local module
    for module in "${MODULES[@]}"; do
        ls "$module"/target/*.jar
    done
}

first=$(mktemp -d)
trap 'rm -rf "$first"' EXIT
if [[ ${1:-} == --twice ]] || [[ -z $(jars 2>/dev/null) ]]; then
    build
fi
for jar in $(jars); do
    mkdir -p "$first/$(dirname "$jar")"
    cp "$jar" "$first/$jar"
done
build

status=0
for jar in $(jars); do
    if cmp -s "$first/$jar" "$jar"; then
        printf 'identical  %s  %s\n' "$(sha256sum "$jar" | cut -c1-16)" "$jar"
    else
        printf 'DIFFERENT  %s\n' "$jar"
        status=1
    fi
done
if [[ $(find "$first" -name '*.jar' | wc -l) -ne $(jars | wc -l) ]]; then
    echo "DIFFERENT: the two builds made different sets of jars"
    status=1
fi
if (( status != 0 )); then
    echo "Not reproducible: two builds of the same sources gave different jars (unzip both and diff)."
fi
exit $status
