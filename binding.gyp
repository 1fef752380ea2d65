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
      "libraries": [
        "<!(bash scripts/private-lua.sh build/lua)",
        "-lm", "-ldl", "-lpthread",
        "-Wl,--exclude-libs,liblua5.4-private.a", "-Wl,-z,text"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED", "RGYM_STATIC_LUA=1"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O2", "-fexceptions", "-frtti", "-fvisibility=hidden"]
    }
  ],
  "variables": {
    "has_mupen64plus": "<!(test -f /usr/include/mupen64plus/m64p_frontend.h && echo 1 || echo 0)"
  },
  "conditions": [
    ["has_mupen64plus==1", {
      "targets": [
        {
          "target_name": "rgym_mupen64plus_libretro",
          "type": "shared_library",
          "product_prefix": "",
          "product_extension": "so",
          "sources": ["<!@(ls -1 native/n64/*.cpp)"],
          "include_dirs": ["/usr/include/libretro-common"],
          "libraries": ["-ldl", "-lpthread"],
          "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
          "cflags_cc": ["-std=c++17", "-O2", "-fexceptions", "-frtti", "-fvisibility=hidden"]
        },
        {
          "target_name": "rgym_n64_input",
          "type": "shared_library",
          "product_prefix": "",
          "product_extension": "so",
          "sources": ["native/n64/plugins/input_plugin.cpp"],
          "cflags_cc": ["-std=c++17", "-O2", "-fvisibility=hidden"]
        },
        {
          "target_name": "rgym_n64_video",
          "type": "shared_library",
          "product_prefix": "",
          "product_extension": "so",
          "sources": ["native/n64/plugins/video_shim.cpp"],
          "cflags_cc": ["-std=c++17", "-O2", "-fvisibility=hidden"]
        }
      ]
    }]
  ]
}
