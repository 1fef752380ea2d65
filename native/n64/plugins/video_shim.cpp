// Our mupen64plus "video plugin": it draws nothing. It keeps the GFX_INFO the core hands over (RDRAM and the VI
// registers, for the host's software scan-out) and calls the host's hook at every UpdateScreen, i.e. once per VI:
// the host parks the emulation thread there, which is what gives exact per-VI stepping.
#define M64P_PLUGIN_PROTOTYPES 1
#include <mupen64plus/m64p_common.h>
#include <mupen64plus/m64p_plugin.h>

namespace {
GFX_INFO gfx{};
void (*screenHook)(void*) = nullptr;
void* screenContext = nullptr;
}

extern "C" {

EXPORT void CALL rgym_video_bind(void (*hook)(void*), void* context) {
  screenHook = hook;
  screenContext = context;
}
EXPORT const GFX_INFO* CALL rgym_video_info(void) { return &gfx; }

EXPORT m64p_error CALL PluginStartup(m64p_dynlib_handle, void*, void (*)(void*, int, const char*)) {
  return M64ERR_SUCCESS;
}
EXPORT m64p_error CALL PluginShutdown(void) { return M64ERR_SUCCESS; }
EXPORT m64p_error CALL PluginGetVersion(m64p_plugin_type* type, int* version, int* apiVersion, const char** name,
                                        int* capabilities) {
  if (type) *type = M64PLUGIN_GFX;
  if (version) *version = 0x010000;
  if (apiVersion) *apiVersion = 0x020200;
  if (name) *name = "libretro-gym VI scan-out";
  if (capabilities) *capabilities = 0;
  return M64ERR_SUCCESS;
}

EXPORT int CALL InitiateGFX(GFX_INFO info) {
  gfx = info;
  return 1;
}
EXPORT void CALL UpdateScreen(void) {
  if (screenHook != nullptr) screenHook(screenContext);
}
EXPORT int CALL RomOpen(void) { return 1; }
EXPORT void CALL RomClosed(void) {}
EXPORT void CALL ChangeWindow(void) {}
EXPORT void CALL MoveScreen(int, int) {}
EXPORT void CALL ProcessDList(void) {}
EXPORT void CALL ProcessRDPList(void) {}
EXPORT void CALL ShowCFB(void) {}
EXPORT void CALL ViStatusChanged(void) {}
EXPORT void CALL ViWidthChanged(void) {}
EXPORT void CALL ReadScreen2(void*, int* width, int* height, int) {
  if (width) *width = 0;
  if (height) *height = 0;
}
EXPORT void CALL SetRenderingCallback(void (*)(int)) {}
EXPORT void CALL ResizeVideoOutput(int, int) {}
EXPORT void CALL FBRead(unsigned int) {}
EXPORT void CALL FBWrite(unsigned int, unsigned int) {}
EXPORT void CALL FBGetFrameBufferInfo(void*) {}

}  // extern "C"
