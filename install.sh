#!/bin/sh
# Installs a prebuilt `cost` from a release of its repository, refusing any archive whose
# SHA-256 differs from the release's SHA256SUMS.
#
#   curl -fsSL https://github.com/YOUR-ORG/cost/releases/latest/download/install.sh | sh
#   sh install.sh --version 0.1.0 --to /usr/local/bin
#
# Options (each also an environment variable):
#   --version V   COST_VERSION       release to install, 0.1.0 or v0.1.0 [default: the latest]
#   --to DIR      COST_INSTALL_DIR   where the binary goes [default: $HOME/.local/bin]
#   --target T    COST_TARGET        archive to install, as a target triple [default: this
#                                    machine's, from uname]
#                 COST_REPO          owner/name of the GitHub repository the releases are in
#                 COST_DOWNLOAD_URL  where releases are: files are read from
#                                    $COST_DOWNLOAD_URL/v<version>/ [default:
#                                    https://github.com/$COST_REPO/releases/download]; a
#                                    mirror, or a file:// directory laid out the same way
#
# Prints the installed binary's path on stdout; progress and errors go to stderr. Exits 1 when
# nothing was installed. Needs curl (or wget), tar (unzip on Windows) and sha256sum (or shasum
# or openssl).

set -eu

# The repository's one home: everything else (the action, the docs' URLs) follows from it.
COST_REPO="${COST_REPO:-YOUR-ORG/cost}"

say() {
    printf '%s\n' "$*" >&2
}

die() {
    printf 'error: %s\n' "$1" >&2
    if [ $# -gt 1 ]; then
        printf 'hint: %s\n' "$2" >&2
    fi
    exit 1
}

version="${COST_VERSION:-}"
dest="${COST_INSTALL_DIR:-}"
target="${COST_TARGET:-}"

while [ $# -gt 0 ]; do
    case "$1" in
        --version) [ $# -gt 1 ] || die "--version needs a value" "--version 0.1.0"; version="$2"; shift 2 ;;
        --version=*) version="${1#*=}"; shift ;;
        --to) [ $# -gt 1 ] || die "--to needs a directory" "--to \$HOME/.local/bin"; dest="$2"; shift 2 ;;
        --to=*) dest="${1#*=}"; shift ;;
        --target) [ $# -gt 1 ] || die "--target needs a target triple" "--target x86_64-unknown-linux-musl"; target="$2"; shift 2 ;;
        --target=*) target="${1#*=}"; shift ;;
        -h | --help)
            sed -n '2,22p' "$0" 2>/dev/null | sed 's/^# \{0,1\}//' >&2 || true
            exit 0
            ;;
        *) die "unknown option: $1" "options are --version V, --to DIR and --target T (sh install.sh --help)" ;;
    esac
done

[ -n "$dest" ] || dest="${HOME:?HOME is not set: give --to DIR}/.local/bin"
download_url="${COST_DOWNLOAD_URL:-https://github.com/$COST_REPO/releases/download}"
download_url="${download_url%/}"

# Downloads $1 to the file $2; fails quietly (the caller says what was missing).
fetch() {
    if command -v curl >/dev/null 2>&1; then
        curl --proto '=https,file' --tlsv1.2 -fsSL --retry 3 -o "$2" "$1"
    elif command -v wget >/dev/null 2>&1; then
        wget -q -O "$2" "$1"
    else
        die "neither curl nor wget is installed" "install one of them, or download the archive by hand"
    fi
}

# The target triple of the archive this machine runs.
detect_target() {
    os="$(uname -s)"
    arch="$(uname -m)"
    case "$arch" in
        x86_64 | amd64 | x64) arch=x86_64 ;;
        aarch64 | arm64 | armv8*) arch=aarch64 ;;
        *) die "no prebuilt cost for the $arch processor ($os)" "build it from source: cargo install --locked --git https://github.com/$COST_REPO cost" ;;
    esac
    case "$os" in
        Linux)
            # Static musl binaries: they run on any Linux distribution (glibc or not).
            echo "$arch-unknown-linux-musl"
            ;;
        Darwin)
            # A shell under Rosetta reports x86_64 on Apple silicon: install the native one.
            if [ "$arch" = x86_64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || echo 0)" = 1 ]; then
                arch=aarch64
            fi
            echo "$arch-apple-darwin"
            ;;
        MINGW* | MSYS* | CYGWIN* | Windows_NT)
            [ "$arch" = x86_64 ] || die "no prebuilt cost for Windows on $arch" "build it from source: cargo install --locked --git https://github.com/$COST_REPO cost"
            echo "x86_64-pc-windows-msvc"
            ;;
        *) die "no prebuilt cost for $os" "build it from source: cargo install --locked --git https://github.com/$COST_REPO cost" ;;
    esac
}

# The SHA-256 of the file $1, in lowercase hex.
sha256_of() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d ' ' -f 1
    elif command -v shasum >/dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d ' ' -f 1
    elif command -v openssl >/dev/null 2>&1; then
        openssl dgst -sha256 "$1" | sed 's/^.*= *//'
    else
        die "no sha256sum, shasum or openssl to verify the download with" "install one of them (coreutils or perl); cost is never installed unverified"
    fi
}

if [ -z "$target" ]; then
    target="$(detect_target)"
fi

if [ -z "$version" ]; then
    [ -z "${COST_DOWNLOAD_URL:-}" ] || die "COST_DOWNLOAD_URL is set but no version is" "give --version (or COST_VERSION): a mirror has no 'latest'"
    # github.com/OWNER/NAME/releases/latest redirects to .../releases/tag/vX.Y.Z.
    command -v curl >/dev/null 2>&1 || die "finding the latest release needs curl" "give --version (or COST_VERSION)"
    latest="$(curl --proto '=https' --tlsv1.2 -fsSL -o /dev/null -w '%{url_effective}' "https://github.com/$COST_REPO/releases/latest")" ||
        die "could not find the latest release of $COST_REPO" "give --version (or COST_VERSION)"
    version="${latest##*/}"
    case "$version" in
        v[0-9]*) ;;
        *) die "$COST_REPO has no release yet (latest: $latest)" "give --version (or COST_VERSION)" ;;
    esac
fi
version="${version#v}"

case "$target" in
    *-windows-*) ext=zip; exe=cost.exe ;;
    *) ext=tar.gz; exe=cost ;;
esac
name="cost-$version-$target"
archive="$name.$ext"
base="$download_url/v$version"

tmp="$(mktemp -d 2>/dev/null || mktemp -d -t cost-install)"
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

say "downloading $archive"
fetch "$base/$archive" "$tmp/$archive" ||
    die "could not download $base/$archive" "is $version a release of $COST_REPO, with an archive for $target? (--version, --target)"
fetch "$base/SHA256SUMS" "$tmp/SHA256SUMS" ||
    die "could not download $base/SHA256SUMS" "without it the archive cannot be verified; nothing was installed"

# SHA256SUMS lines read "<hash>  <file>" (or "<hash> *<file>" when written in binary mode).
expected="$(awk -v f="$archive" '$2 == f || $2 == "*" f { print tolower($1); exit }' "$tmp/SHA256SUMS")"
[ -n "$expected" ] ||
    die "SHA256SUMS of v$version has no line for $archive" "nothing was installed; the release is incomplete or the download was altered"
actual="$(sha256_of "$tmp/$archive")"
if [ "$actual" != "$expected" ]; then
    say "error: checksum mismatch for $archive: refusing to install it"
    say "  expected (SHA256SUMS): $expected"
    say "  downloaded:            $actual"
    say "hint: nothing was installed; download again, and report it at https://github.com/$COST_REPO/issues if it persists"
    exit 1
fi
say "verified sha256 $actual"

mkdir "$tmp/x"
case "$ext" in
    zip)
        if command -v unzip >/dev/null 2>&1; then
            unzip -q "$tmp/$archive" -d "$tmp/x"
        else
            # Windows' own tar (bsdtar) reads zip archives.
            tar -xf "$tmp/$archive" -C "$tmp/x"
        fi
        ;;
    *) tar -xzf "$tmp/$archive" -C "$tmp/x" ;;
esac
[ -f "$tmp/x/$name/$exe" ] || die "$archive has no $name/$exe" "nothing was installed; the archive is not a cost release"

mkdir -p "$dest" || die "could not create $dest" "choose another directory with --to (or COST_INSTALL_DIR)"
# Copied beside the old binary and renamed over it, so a running cost is never half-replaced.
cp "$tmp/x/$name/$exe" "$dest/.$exe.new" || die "could not write to $dest" "choose another directory with --to, or run as a user who may write there"
chmod 755 "$dest/.$exe.new"
mv -f "$dest/.$exe.new" "$dest/$exe"

say "installed cost $version ($target) in $dest"
case "$dest" in
    /*) on_path="$dest" ;;
    *) on_path="\$PWD/$dest" ;; # a relative directory is relative to here
esac
case ":${PATH:-}:" in
    *":$dest:"*) ;;
    *) say "hint: $dest is not on your PATH; add it: export PATH=\"$on_path:\$PATH\"" ;;
esac
printf '%s\n' "$dest/$exe"
