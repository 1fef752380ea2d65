// Our mupen64plus "video plugin". By itself it draws nothing: it keeps the GFX_INFO the core hands over (RDRAM and
// the VI registers, for the host's software scan-out) and calls the host's hook at every UpdateScreen, i.e. once
// per VI: the host parks the emulation thread there, which is what gives exact per-VI stepping.
//
// Given a real video plugin (rgym_video_forward, before PluginStartup), it becomes a proxy: every call goes on to
// that plugin, and the hook still comes after each UpdateScreen, once the plugin has drawn the VI.
#define M64P_PLUGIN_PROTOTYPES 1
#include <dlfcn.h>

#include <mupen64plus/m64p_common.h>
#include <mupen64plus/m64p_plugin.h>

namespace {
GFX_INFO gfx{};
void (*screenHook)(void*) = nullptr;
void* screenContext = nullptr;

// The plugin we forward to; all null when we draw nothing.
struct Target {
  ptr_PluginStartup startup;
  ptr_PluginShutdown shutdown;
  ptr_InitiateGFX initiate;
  ptr_UpdateScreen updateScreen;
  ptr_RomOpen romOpen;
  ptr_RomClosed romClosed;
  ptr_ChangeWindow changeWindow;
  ptr_MoveScreen moveScreen;
  ptr_ProcessDList processDList;
  ptr_ProcessRDPList processRDPList;
  ptr_ShowCFB showCFB;
  ptr_ViStatusChanged viStatusChanged;
  ptr_ViWidthChanged viWidthChanged;
  ptr_ReadScreen2 readScreen2;
  ptr_SetRenderingCallback setRenderingCallback;
  ptr_ResizeVideoOutput resizeVideoOutput;
  ptr_FBRead fbRead;
  ptr_FBWrite fbWrite;
  ptr_FBGetFrameBufferInfo fbGetFrameBufferInfo;
} target{};
bool forwarding = false;

template <typename Fn>
bool resolve(void* handle, const char* name, Fn* slot) {
  *slot = reinterpret_cast<Fn>(dlsym(handle, name));
  return *slot != nullptr;
}
}  // namespace

extern "C" {

EXPORT void CALL rgym_video_bind(void (*hook)(void*), void* context) {
  screenHook = hook;
  screenContext = context;
}
EXPORT const GFX_INFO* CALL rgym_video_info(void) { return &gfx; }

// Forwards every call to the video plugin loaded at `handle`. Returns the first function it lacks, or null.
EXPORT const char* CALL rgym_video_forward(void* handle) {
  Target t{};
  const char* missing = nullptr;
  auto need = [&](const char* name, auto* slot) {
    if (!resolve(handle, name, slot) && missing == nullptr) missing = name;
  };
  need("PluginStartup", &t.startup);
  need("PluginShutdown", &t.shutdown);
  need("InitiateGFX", &t.initiate);
  need("UpdateScreen", &t.updateScreen);
  need("RomOpen", &t.romOpen);
  need("RomClosed", &t.romClosed);
  need("ChangeWindow", &t.changeWindow);
  need("MoveScreen", &t.moveScreen);
  need("ProcessDList", &t.processDList);
  need("ProcessRDPList", &t.processRDPList);
  need("ShowCFB", &t.showCFB);
  need("ViStatusChanged", &t.viStatusChanged);
  need("ViWidthChanged", &t.viWidthChanged);
  need("ReadScreen2", &t.readScreen2);
  need("SetRenderingCallback", &t.setRenderingCallback);
  // Optional in the plugin API: the core copes without them, and so do we.
  resolve(handle, "ResizeVideoOutput", &t.resizeVideoOutput);
  resolve(handle, "FBRead", &t.fbRead);
  resolve(handle, "FBWrite", &t.fbWrite);
  resolve(handle, "FBGetFrameBufferInfo", &t.fbGetFrameBufferInfo);
  if (missing != nullptr) return missing;
  target = t;
  forwarding = true;
  return nullptr;
}

EXPORT m64p_error CALL PluginStartup(m64p_dynlib_handle core, void* context, void (*debug)(void*, int, const char*)) {
  return forwarding ? target.startup(core, context, debug) : M64ERR_SUCCESS;
}
EXPORT m64p_error CALL PluginShutdown(void) { return forwarding ? target.shutdown() : M64ERR_SUCCESS; }
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
  return forwarding ? target.initiate(info) : 1;
}
EXPORT void CALL UpdateScreen(void) {
  if (forwarding) target.updateScreen();
  if (screenHook != nullptr) screenHook(screenContext);
}
EXPORT int CALL RomOpen(void) { return forwarding ? target.romOpen() : 1; }
EXPORT void CALL RomClosed(void) {
  if (forwarding) target.romClosed();
}
EXPORT void CALL ChangeWindow(void) {
  if (forwarding) target.changeWindow();
}
EXPORT void CALL MoveScreen(int x, int y) {
  if (forwarding) target.moveScreen(x, y);
}
EXPORT void CALL ProcessDList(void) {
  if (forwarding) target.processDList();
}
EXPORT void CALL ProcessRDPList(void) {
  if (forwarding) target.processRDPList();
}
EXPORT void CALL ShowCFB(void) {
  if (forwarding) target.showCFB();
}
EXPORT void CALL ViStatusChanged(void) {
  if (forwarding) target.viStatusChanged();
}
EXPORT void CALL ViWidthChanged(void) {
  if (forwarding) target.viWidthChanged();
}
EXPORT void CALL ReadScreen2(void* dest, int* width, int* height, int front) {
  if (forwarding) return target.readScreen2(dest, width, height, front);
  if (width) *width = 0;
  if (height) *height = 0;
}
EXPORT void CALL SetRenderingCallback(void (*callback)(int)) {
  if (forwarding) target.setRenderingCallback(callback);
}
EXPORT void CALL ResizeVideoOutput(int width, int height) {
  if (forwarding && target.resizeVideoOutput) target.resizeVideoOutput(width, height);
}
EXPORT void CALL FBRead(unsigned int address) {
  if (forwarding && target.fbRead) target.fbRead(address);
}
EXPORT void CALL FBWrite(unsigned int address, unsigned int size) {
  if (forwarding && target.fbWrite) target.fbWrite(address, size);
}
EXPORT void CALL FBGetFrameBufferInfo(void* info) {
  if (forwarding && target.fbGetFrameBufferInfo) target.fbGetFrameBufferInfo(info);
}

}  // extern "C"
