// Our mupen64plus input plugin: the controllers read whatever the host last wrote into the word array it bound
// with rgym_input_bind (one BUTTONS word per controller: 16 button bits, then X and Y as signed bytes). Each
// emulator loads its own copy of this file, so the bound array is per emulator.
#define M64P_PLUGIN_PROTOTYPES 1
#include <mupen64plus/m64p_common.h>
#include <mupen64plus/m64p_plugin.h>

#include <atomic>
#include <cstdint>

namespace {
const std::atomic<uint32_t>* boundKeys = nullptr;  // 4 words owned by the host
}

extern "C" {

EXPORT void CALL rgym_input_bind(const std::atomic<uint32_t>* keys) { boundKeys = keys; }

EXPORT m64p_error CALL PluginStartup(m64p_dynlib_handle, void*, void (*)(void*, int, const char*)) {
  return M64ERR_SUCCESS;
}
EXPORT m64p_error CALL PluginShutdown(void) { return M64ERR_SUCCESS; }
EXPORT m64p_error CALL PluginGetVersion(m64p_plugin_type* type, int* version, int* apiVersion, const char** name,
                                        int* capabilities) {
  if (type) *type = M64PLUGIN_INPUT;
  if (version) *version = 0x010000;
  if (apiVersion) *apiVersion = 0x020100;
  if (name) *name = "libretro-gym input";
  if (capabilities) *capabilities = 0;
  return M64ERR_SUCCESS;
}

EXPORT void CALL InitiateControllers(CONTROL_INFO info) {
  for (int i = 0; i < 4; i++) {
    info.Controls[i].Present = 1;
    info.Controls[i].RawData = 0;
    info.Controls[i].Plugin = PLUGIN_NONE;  // no controller pak: nothing outside the save state
    info.Controls[i].Type = CONT_TYPE_STANDARD;
  }
}

EXPORT void CALL GetKeys(int control, BUTTONS* keys) {
  keys->Value = (boundKeys != nullptr && control >= 0 && control < 4) ? boundKeys[control].load() : 0;
}

EXPORT void CALL ControllerCommand(int, unsigned char*) {}
EXPORT void CALL ReadController(int, unsigned char*) {}
EXPORT int CALL RomOpen(void) { return 1; }
EXPORT void CALL RomClosed(void) {}
EXPORT void CALL SDL_KeyDown(int, int) {}
EXPORT void CALL SDL_KeyUp(int, int) {}
EXPORT void CALL RenderCallback(void) {}

}  // extern "C"
