# Builds the csf-net native CPU backend: C++17 kernels behind N-API (node-addon-api).
# The ISA-specific micro-kernels (src/isa-*.cc) enable AVX2/FMA or AVX-512 per function with a
# target pragma; everything else is portable C++ and picks among them at run time (cpu-features.cc).
{
  "target_defaults": {
    "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "-fno-math-errno", "-fPIC", "-Wno-psabi"],
    "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++1y", "-std=gnu++14"],
    "cflags!": ["-fno-exceptions"],
    "defines": ["NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
    "conditions": [
      ["OS=='mac'", {
        "xcode_settings": {
          "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
          "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
          "OTHER_CPLUSPLUSFLAGS": ["-O3"]
        }
      }]
    ]
  },
  "targets": [
    {
      "target_name": "csfnet_native",
      "sources": [
        "src/addon-misc.cc",
        "src/addon.cc",
        "src/batch-norm.cc",
        "src/conv3d.cc",
        "src/cpu-features.cc",
        "src/direct-avx2.cc",
        "src/direct-avx512.cc",
        "src/direct-conv.cc",
        "src/direct-portable.cc",
        "src/elementwise.cc",
        "src/gemm-dot.cc",
        "src/gemm-outer.cc",
        "src/im2col.cc",
        "src/isa-avx2.cc",
        "src/isa-avx512.cc",
        "src/isa-portable.cc",
        "src/matmul.cc",
        "src/optim.cc",
        "src/pool.cc",
        "src/resample.cc",
        "src/row-kernels-avx2.cc",
        "src/row-kernels-avx512.cc",
        "src/row-kernels-portable.cc",
        "src/thread-pool.cc",
        "src/winograd.cc",
        "src/winograd-avx2.cc",
        "src/winograd-avx512.cc",
        "src/winograd-portable.cc",
        "src/workspace.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"]
    }
  ]
}
