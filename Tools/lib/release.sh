# Sourced by the benchmark scripts: release builds of the project's products, in RLPX_SCRATCH when set (a build
# folder of its own, such as .build-release, so a debug build in .build is left alone), else in .build.

# The folder the release products are in.
release_dir=${RLPX_SCRATCH:-.build}/release

# release_build PRODUCT...: builds each product in release (one product per call: given twice, swift build builds
# only the last).
release_build() {
    local product
    for product in "$@"; do swift build -c release --scratch-path "${RLPX_SCRATCH:-.build}" --product "$product" >&2; done
}
