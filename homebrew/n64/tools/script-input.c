/* A mupen64plus input plugin for boot-check: controller 1 is plugged in, and every time the core asks for its
 * buttons a hook set by the test program fills them in (so inputs follow a script, counted in controller reads). */
#include <string.h>

#define M64P_PLUGIN_PROTOTYPES 1
#include <mupen64plus/m64p_common.h>
#include <mupen64plus/m64p_plugin.h>
#include <mupen64plus/m64p_types.h>

typedef void (*keys_hook)(int control, BUTTONS *keys);
static keys_hook hook;

EXPORT void CALL script_input_set_hook(keys_hook fn) { hook = fn; }

EXPORT m64p_error CALL PluginStartup(m64p_dynlib_handle core, void *context, void (*debug)(void *, int, const char *)) {
  (void)core, (void)context, (void)debug;
  return M64ERR_SUCCESS;
}
EXPORT m64p_error CALL PluginShutdown(void) { return M64ERR_SUCCESS; }

EXPORT m64p_error CALL PluginGetVersion(m64p_plugin_type *type, int *version, int *api, const char **name, int *caps) {
  if (type) *type = M64PLUGIN_INPUT;
  if (version) *version = 0x010000;
  if (api) *api = 0x020100;
  if (name) *name = "libretro-gym script input";
  if (caps) *caps = 0;
  return M64ERR_SUCCESS;
}

EXPORT void CALL InitiateControllers(CONTROL_INFO info) {
  for (int i = 0; i < 4; i++) memset(&info.Controls[i], 0, sizeof info.Controls[i]);
  info.Controls[0].Present = 1;
  info.Controls[0].Plugin = PLUGIN_NONE;
}

EXPORT void CALL GetKeys(int control, BUTTONS *keys) {
  keys->Value = 0;
  if (hook) hook(control, keys);
}

EXPORT void CALL ControllerCommand(int control, unsigned char *command) { (void)control, (void)command; }
EXPORT void CALL ReadController(int control, unsigned char *command) { (void)control, (void)command; }
EXPORT int CALL RomOpen(void) { return 1; }
EXPORT void CALL RomClosed(void) {}
EXPORT void CALL SDL_KeyDown(int keymod, int keysym) { (void)keymod, (void)keysym; }
EXPORT void CALL SDL_KeyUp(int keymod, int keysym) { (void)keymod, (void)keysym; }
