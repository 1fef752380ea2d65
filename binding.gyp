{
  "targets": [
    {
      "target_name": "libretro_gym",
      "product_name": "libretro_gym",
      "sources": ["<!@(ls -1 native/*.cpp)"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "/usr/include/libretro-common",
        "<!@(pkg-config --cflags-only-I lua5.4 | sed 's/-I//g')"
      ],
      "libraries": ["<!@(pkg-config --libs lua5.4)", "-ldl", "-lpthread"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O2", "-fexceptions", "-frtti", "-fvisibility=hidden"]
    }
  ]
}
