#!/usr/bin/env bash
# Assembles the root file system layer of the container image (mvn -Pimage package; docs/OPERATIONS.md, "Image"):
# base images from Docker Hub or gcr.io cannot be pulled on this project's machines, so the image starts FROM scratch
# and this layer brings the Java runtime:
#   /opt/java           a jlink runtime of the JDK that runs Maven (Debian's openjdk-17 here): the modules below only
#   /lib..., /lib64     the shared libraries its native code links to (glibc, libstdc++, libgcc_s, zlib), copied from
#                       the build machine (Debian packages; /opt/java/RUNTIME-PACKAGES lists them with their versions)
#   /etc                passwd/group with the non-root user 10001 (quantum), nsswitch.conf
#   /tmp                scratch space (Kubernetes mounts an emptyDir there; the root file system is read-only)
# The layer is for the build machine's architecture (Linux x86_64 here). With a registry that serves a JRE base image,
# use the jre-base profile instead (mvn -Pimage,jre-base ...), which skips this layer.
#
# usage: assemble-runtime.sh OUTPUT_DIR JAVA_HOME [bundled|none]
set -euo pipefail
out=${1:?usage: assemble-runtime.sh OUTPUT_DIR JAVA_HOME [bundled|none]}
java_home=${2:?usage: assemble-runtime.sh OUTPUT_DIR JAVA_HOME [bundled|none]}
mode=${3:-bundled}

rm -rf "$out"
mkdir -p "$out"
if [[ "$mode" == none ]]; then
  echo "image runtime: none (the base image brings Java)"
  exit 0
fi
if [[ "$(uname -s)" != Linux ]]; then
  echo "image runtime: the bundled runtime is built from a Linux JDK; on $(uname -s) use -Pimage,jre-base" >&2
  exit 1
fi
if [[ ! -d "$java_home/jmods" ]]; then
  echo "image runtime: $java_home has no jmods (Debian: apt-get install openjdk-17-jdk-headless)" >&2
  exit 1
fi

# The modules the service uses (Spring Boot, Netty/Lettuce, Micrometer, Jackson, picocli; TLS and DNS for Redis).
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,\
java.prefs,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,\
jdk.jfr,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs

"$java_home/bin/jlink" --module-path "$java_home/jmods" --add-modules "$modules" \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$out/opt/java"

# The service draws nothing: drop java.desktop's native graphics and sound libraries (they link X11, ALSA, FreeType,
# which would otherwise make the layer depend on what else is installed on the build machine). java.beans, which Spring
# uses, is plain Java and stays.
for lib in libawt libawt_headless libawt_xawt libfontmanager libjavajpeg libjawt libjsound liblcms libmlib_image \
           libsplashscreen; do
  rm -f "$out/opt/java/lib/$lib.so"
done

# Debian's JDK links lib/security files to /etc/java-17-openjdk and /etc/ssl: bring the files themselves.
for f in cacerts blocked.certs default.policy public_suffix_list.dat; do
  if [[ -e "$java_home/lib/security/$f" ]]; then
    rm -f "$out/opt/java/lib/security/$f"
    cp -L "$java_home/lib/security/$f" "$out/opt/java/lib/security/$f"
  fi
done

# Shared libraries the runtime's executables and libraries need, as the build machine resolves them (ldd).
declare -A libs=()
missing=()
while IFS= read -r elf; do
  while IFS= read -r line; do
    if [[ "$line" =~ ^[[:space:]]*([^[:space:]]+)\ =\>\ (/[^[:space:]]+) ]]; then
      [[ "${BASH_REMATCH[2]}" == "$out"* ]] || libs["${BASH_REMATCH[2]}"]=1
    elif [[ "$line" =~ ^[[:space:]]*(/[^[:space:]]+)\ \( ]]; then
      libs["${BASH_REMATCH[1]}"]=1                         # the dynamic loader
    elif [[ "$line" =~ ^[[:space:]]*([^[:space:]]+)\ =\>\ not\ found ]]; then
      [[ -e "$out/opt/java/lib/${BASH_REMATCH[1]}" || -e "$out/opt/java/lib/server/${BASH_REMATCH[1]}" ]] \
        || missing+=("$(basename "$elf"): ${BASH_REMATCH[1]}")
    fi
  done < <(LD_LIBRARY_PATH="$out/opt/java/lib:$out/opt/java/lib/server" ldd "$elf" 2>/dev/null || true)
done < <(find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper -o -name jexec \))

for lib in "${!libs[@]}"; do
  # /lib and /lib64 are symlinks to /usr/lib* on merged-/usr systems: keep the path the binaries name (PT_INTERP,
  # the loader's default directories), as real files.
  dest="$out$lib"
  mkdir -p "$(dirname "$dest")"
  cp -L "$lib" "$dest"
done
# the loader is also looked up under /lib64 (the path in every x86_64 binary's PT_INTERP)
if [[ -e /lib64/ld-linux-x86-64.so.2 && ! -e "$out/lib64/ld-linux-x86-64.so.2" ]]; then
  mkdir -p "$out/lib64" && cp -L /lib64/ld-linux-x86-64.so.2 "$out/lib64/"
fi
if ((${#missing[@]})); then
  printf 'image runtime: libraries not found on this machine: %s\n' "${missing[*]}" >&2
  exit 1
fi

# Provenance: the Debian package and version of every copied library.
{
  echo "# Java runtime: $(grep -h '^IMPLEMENTOR_VERSION\|^JAVA_RUNTIME_VERSION' "$java_home/release" | tr '\n' ' ')"
  echo "# modules: $modules"
  for lib in $(printf '%s\n' "${!libs[@]}" | sort); do
    pkg=$(dpkg -S "$lib" 2>/dev/null | head -n 1 | cut -d: -f1 || true)
    [[ -z "$pkg" ]] && pkg=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | head -n 1 | cut -d: -f1 || true)
    ver=$([[ -n "$pkg" ]] && dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true)
    echo "$lib ${pkg:-unknown} ${ver:-}"
  done
} > "$out/opt/java/RUNTIME-PACKAGES"

mkdir -p "$out/etc" "$out/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nquantum:x:10001:10001:quantum-trader:/tmp:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\nquantum:x:10001:\n' > "$out/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$out/etc/nsswitch.conf"
echo "image runtime: $(du -sh "$out" | cut -f1) in $out ($(wc -l < "$out/opt/java/RUNTIME-PACKAGES") entries in RUNTIME-PACKAGES)"
