#!/usr/bin/env bash
# `ntio new driver NAME [--framework] [--group GROUP] [DIR]`: a driver project in one command.
# Called by the ntio launcher as: ntio-new.sh ROOT ARGS... (ROOT is the ntio checkout).
#
# 1. checks NAME and DIR before anything slow;
# 2. has the launcher build ntio if it is missing or stale (as any ntio command does);
# 3. installs the artifacts a driver project builds against (the parent POM, ntio-ddk, ntio-api,
#    ntio-framework, ntio-kernel and this archetype) into the local Maven repository, only if one is
#    missing or older than its build: no tests, no javadoc, no benchmarks, no jcstress;
# 4. generates the project from the archetype, in batch mode.
# Maven's own settings apply throughout: MAVEN_OPTS='-Dmaven.repo.local=DIR' chooses the local
# repository, ~/.m2/settings.xml (or its <localRepository>) as usual.
set -euo pipefail
root="$1"; shift

usage() {
  cat >&2 <<'USAGE'
Usage: ntio new driver NAME [--framework] [--group GROUP] [DIR]
  NAME         the service and class prefix: a Java identifier starting with a capital letter (Upper)
  --framework  a framework (KMDF-style, ntio-framework) driver instead of a plain WDM driver
  --group      the Maven groupId and package prefix (default com.example); the package is GROUP.name
  DIR          the project directory to create (default ./NAME); it must not exist
USAGE
}
fail() { echo "ntio new: $*" >&2; exit 2; }

[ "${1:-}" = driver ] || { usage; fail "only 'ntio new driver' exists"; }
shift
name="" dir="" framework=false group=com.example
while [ $# -gt 0 ]; do
  case "$1" in
    --framework) framework=true ;;
    --group) [ $# -ge 2 ] || fail "--group needs a value"; group="$2"; shift ;;
    --group=*) group="${1#--group=}" ;;
    -h|--help) usage; exit 0 ;;
    -*) usage; fail "unknown option $1" ;;
    *) if [ -z "$name" ]; then name="$1"; elif [ -z "$dir" ]; then dir="$1"; else usage; fail "unexpected argument $1"; fi ;;
  esac
  shift
done
[ -n "$name" ] || { usage; fail "NAME is missing"; }

java_keywords=" abstract assert boolean break byte case catch char class const continue default do double else enum extends final finally float for goto if implements import instanceof int interface long native new package private protected public return short static strictfp super switch synchronized this throw throws transient try void volatile while true false null var yield record sealed permits "
if ! [[ "$name" =~ ^[A-Z][A-Za-z0-9_]*$ ]]; then
  fail "'$name' is not a valid driver name: it names the class ${name}Driver and the service, so it must be a Java identifier starting with a capital letter (A-Z, then letters, digits or _), e.g. Upper"
fi
package_part="$(printf '%s' "$name" | tr 'A-Z' 'a-z')"
case "$java_keywords" in *" $package_part "*) fail "'$name' lower-cased ('$package_part') is a Java keyword and cannot be a package name; choose another name" ;; esac
if ! [[ "$group" =~ ^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$ ]]; then
  fail "--group '$group' is not a Java package name (lower-case identifiers separated by dots, e.g. com.example)"
fi
dir="${dir:-$name}"
[ ! -e "$dir" ] || fail "$dir already exists; choose another DIR or remove it"
parent="$(dirname -- "$dir")"
[ -d "$parent" ] || fail "the directory $parent (where $dir would go) does not exist"
command -v mvn >/dev/null 2>&1 || fail "Maven (mvn) is not on the PATH: install Maven 3.8 or later (e.g. apt-get install maven) and try again"

# 2. The launcher's build (the host jar and every module's jar), if missing or stale. It stops at
#    package: a whole-reactor install would reach ntio-stress's jcstress and soak runs.
"$root/ntio" --version >/dev/null

# Maven 3.8's console library writes colour-reset codes at exit even in batch mode; as the launcher
# does, ask it not to, so that this command's output is plain text.
export MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true"

# 3. The local repository Maven will use: MAVEN_OPTS's maven.repo.local, else settings.xml's, else the default.
version="$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -1)"
repo=""
if [[ "${MAVEN_OPTS:-}" =~ -Dmaven\.repo\.local=([^[:space:]]+) ]]; then
  repo="${BASH_REMATCH[1]}"
elif [ -f "$HOME/.m2/settings.xml" ]; then
  repo="$(sed -n 's:.*<localRepository>\(.*\)</localRepository>.*:\1:p' "$HOME/.m2/settings.xml" | head -1)"
  repo="${repo//\$\{user.home\}/$HOME}"
fi
repo="${repo:-$HOME/.m2/repository}"

needs_install=false
for module in ntio-ddk ntio-api ntio-framework ntio-kernel ntio-driver-archetype; do
  installed="$repo/dev/ntio/$module/$version/$module-$version.jar"
  built="$root/$module/target/$module-$version.jar"
  # Whole seconds: an install keeps the build's time stamp, but only to the millisecond.
  if [ ! -f "$installed" ] || [ "$(stat -c %Y "$built")" -gt "$(stat -c %Y "$installed")" ]; then needs_install=true; fi
done
[ -f "$repo/dev/ntio/ntio/$version/ntio-$version.pom" ] || needs_install=true
if [ "$needs_install" = true ]; then
  echo "ntio new: installing the ntio $version artifacts into $repo ..." >&2
  start=$SECONDS
  # -am adds ntio-drivers (the kernel's tests depend on it); its signing step is skipped: nothing
  # here loads its images.
  (cd "$root" && mvn -B -q -Dstyle.color=never install -pl ntio-ddk,ntio-api,ntio-framework,ntio-kernel,ntio-driver-archetype -am \
      -DskipTests -Dmaven.javadoc.skip=true -Dmaven.antrun.skip=true -Denforcer.skip=true >&2) \
    || fail "installing the ntio artifacts failed; run 'mvn -B install -DskipTests -pl ntio-kernel,ntio-framework,ntio-driver-archetype -am' in $root to see why"
  echo "ntio new: installed in $((SECONDS - start)) s" >&2
fi

# 4. Generate into a scratch directory beside DIR, then move the project to DIR.
scratch="$(mktemp -d "$parent/.ntio-new.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
(cd "$scratch" && mvn -B -q -Dstyle.color=never org.apache.maven.plugins:maven-archetype-plugin:3.4.1:generate \
    -DinteractiveMode=false -DarchetypeCatalog=local \
    -DarchetypeGroupId=dev.ntio -DarchetypeArtifactId=ntio-driver-archetype -DarchetypeVersion="$version" \
    -DgroupId="$group" -DartifactId="$package_part" -Dversion=1.0-SNAPSHOT -Dpackage="$group.$package_part" \
    -DdriverName="$name" -Dframework="$framework" -DntioVersion="$version" >&2) \
  || fail "generating the project failed; the Maven output above says why"
mv "$scratch/$package_part" "$dir"

kind="a WDM driver"; [ "$framework" = true ] && kind="a framework driver"
cat <<DONE
Created $dir: $kind, service $name, class $group.$package_part.${name}Driver.
Next:
  cd $dir && mvn package                 # builds target/$name.jar and tests it in an embedded kernel
  $root/ntio sc create $name --image target/$name.jar
  $root/ntio sc start $name
See $dir/README.md and $root/docs/first-driver.md.
DONE
