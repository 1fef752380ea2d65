/* Boots homebrew/test/n64-test.z64 headless in Debian's mupen64plus core (no video plugin), plays a scripted
 * input sequence through script-input.so and prints the ROM's RAM block (see ../README.md) after each phase,
 * checking the values the ROM must reach. Exits 0 when every check holds. Writes the framebuffer as a PPM.
 * Not part of the addon: a proof that the ROM boots, for developers. Build and run: tools/run-boot-check.sh */
#include <dlfcn.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mupen64plus/m64p_common.h>
#include <mupen64plus/m64p_config.h>
#include <mupen64plus/m64p_debugger.h>
#include <mupen64plus/m64p_frontend.h>
#include <mupen64plus/m64p_plugin.h>
#include <mupen64plus/m64p_types.h>

#define CORE_PATH "/usr/lib/x86_64-linux-gnu/libmupen64plus.so.2"
#define TEST_BLOCK 0x00010000u
#define FB_PHYS 0x00100000u

static ptr_CoreDoCommand do_command;
static ptr_DebugMemGetPointer mem_pointer;
static const uint8_t *rdram;
static int failures;
static const char *ppm_path;

/* RDRAM is held as host-order 32-bit words: the big-endian byte at a lives at a^3, a halfword at a^2. */
static uint32_t ram_u32(uint32_t a) { return *(const uint32_t *)(rdram + a); }
static uint16_t ram_u16(uint32_t a) { return *(const uint16_t *)(rdram + (a ^ 2)); }
static uint8_t ram_u8(uint32_t a) { return rdram[a ^ 3]; }

static void print_block(int call) {
  uint32_t b = TEST_BLOCK;
  printf("read %3d: magic=%08X frames=%u loops=%u pad_reads=%u buttons=%04X stick=(%d,%d) pad_status=%02X "
         "cursor=(%d,%d) rdp_lists=%u dp_status=%08X a_presses=%u fb=%08X rdp_timeouts=%u\n",
         call, ram_u32(b), ram_u32(b + 4), ram_u32(b + 8), ram_u32(b + 0xC), ram_u16(b + 0x10),
         (int8_t)ram_u8(b + 0x12), (int8_t)ram_u8(b + 0x13), ram_u8(b + 0x14), (int16_t)ram_u16(b + 0x18),
         (int16_t)ram_u16(b + 0x1A), ram_u32(b + 0x1C), ram_u32(b + 0x20), ram_u32(b + 0x24), ram_u32(b + 0x28),
         ram_u32(b + 0x2C));
}

static void expect(const char *what, long actual, long expected) {
  if (actual == expected) return;
  printf("  FAIL %s: %ld, expected %ld\n", what, actual, expected);
  failures++;
}

static void expect_cursor(int x, int y) {
  expect("cursor_x", (int16_t)ram_u16(TEST_BLOCK + 0x18), x);
  expect("cursor_y", (int16_t)ram_u16(TEST_BLOCK + 0x1A), y);
}

/* Counts framebuffer pixels of one RGBA5551 colour and writes the picture. */
static long write_framebuffer(uint16_t counted) {
  FILE *out = ppm_path ? fopen(ppm_path, "wb") : NULL;
  if (out) fprintf(out, "P6\n320 240\n255\n");
  long count = 0;
  for (uint32_t i = 0; i < 320 * 240; i++) {
    uint16_t p = ram_u16(FB_PHYS + 2 * i);
    if (p == counted) count++;
    if (out) {
      uint8_t rgb[3] = {(uint8_t)((p >> 11) << 3), (uint8_t)(((p >> 6) & 31) << 3), (uint8_t)(((p >> 1) & 31) << 3)};
      fwrite(rgb, 1, 3, out);
    }
  }
  if (out) fclose(out);
  return count;
}

/* The script, in controller reads (one per frame): idle, d-pad right, stick left, stick up with A, idle. */
static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void on_keys(int control, BUTTONS *keys) {
  static int call;
  static double started;
  if (control != 0) return;
  if (call == 0) {
    int off = 0;
    do_command(M64CMD_CORE_STATE_SET, M64CORE_SPEED_LIMITER, &off);
    rdram = mem_pointer(M64P_DBG_PTR_RDRAM);
  }
  switch (call) {
  case 60:
    started = now_seconds();
    print_block(call);
    expect("magic", ram_u32(TEST_BLOCK), 0x4E363454);
    expect("pad_reads", ram_u32(TEST_BLOCK + 0xC), 60); /* reads 0-59 done; this one is in flight */
    expect_cursor(152, 104);
    break;
  case 120: print_block(call); expect_cursor(272, 104); break;
  case 150: print_block(call); expect_cursor(122, 104); break;
  case 160: print_block(call); expect_cursor(122, 54); expect("a_presses", ram_u32(TEST_BLOCK + 0x24), 1); break;
  case 240: {
    printf("speed: %.0f frames per second over frames 60-240 (no speed limiter)\n", 180 / (now_seconds() - started));
    print_block(call);
    expect_cursor(122, 54);
    expect("buttons", ram_u16(TEST_BLOCK + 0x10), 0);
    expect("rdp_lists", ram_u32(TEST_BLOCK + 0x1C), 240);
    expect("rdp_timeouts", ram_u32(TEST_BLOCK + 0x2C), 0);
    long square = write_framebuffer((31 << 11) | (20 << 6) | (0 << 1) | 1);
    printf("framebuffer: %ld pixels of the square's colour (16x16 = 256 expected)\n", square);
    expect("square pixels", square, 256);
    /* Debian's 2.5.9 core calls a NULL pointer while stopping with no video plugin attached: end here. */
    printf(failures ? "boot-check: %d check(s) failed\n" : "boot-check: all checks hold\n", failures);
    _exit(failures ? 1 : 0);
  }
  }
  if (call >= 60 && call < 120) keys->R_DPAD = 1;
  if (call >= 120 && call < 150) keys->X_AXIS = -80;
  if (call >= 150 && call < 160) keys->Y_AXIS = 80, keys->A_BUTTON = 1;
  call++;
}

static void on_debug(void *context, int level, const char *message) {
  (void)context;
  if (level <= M64MSG_WARNING) fprintf(stderr, "core: %s\n", message);
}

/* The core calls this on every state change, without checking for NULL when it stops. */
static void on_state(void *context, m64p_core_param param, int value) { (void)context, (void)param, (void)value; }

/* A config folder of its own, so no user's mupen64plus settings change the run. */
static const char *config_dir(void) {
  static char dir[] = "/tmp/n64-boot-check-XXXXXX";
  if (!mkdtemp(dir)) perror("mkdtemp"), exit(2);
  return dir;
}

static void *need(void *lib, const char *name) {
  void *fn = dlsym(lib, name);
  if (!fn) fprintf(stderr, "missing symbol %s\n", name), exit(2);
  return fn;
}

static void on_alarm(int sig) {
  (void)sig;
  printf("boot-check: timed out\n");
  if (rdram) print_block(-1);
  _exit(3);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  signal(SIGALRM, on_alarm);
  if (argc < 3) return fprintf(stderr, "usage: boot-check ROM script-input.so [out.ppm]\n"), 2;
  ppm_path = argc > 3 ? argv[3] : NULL;

  FILE *file = fopen(argv[1], "rb");
  if (!file) return perror(argv[1]), 2;
  static uint8_t rom[64 << 20];
  size_t size = fread(rom, 1, sizeof rom, file);
  fclose(file);

  void *core = dlopen(CORE_PATH, RTLD_LAZY | RTLD_LOCAL);
  void *input = dlopen(argv[2], RTLD_NOW | RTLD_LOCAL);
  if (!core || !input) return fprintf(stderr, "dlopen: %s\n", dlerror()), 2;
  ptr_CoreStartup startup = (ptr_CoreStartup)need(core, "CoreStartup");
  ptr_CoreAttachPlugin attach = (ptr_CoreAttachPlugin)need(core, "CoreAttachPlugin");
  do_command = (ptr_CoreDoCommand)need(core, "CoreDoCommand");
  mem_pointer = (ptr_DebugMemGetPointer)need(core, "DebugMemGetPointer");

  
  m64p_error err = startup(0x020001, config_dir(), "/usr/share/games/mupen64plus", NULL, on_debug, NULL, on_state);
  if (err) return fprintf(stderr, "CoreStartup: %d\n", err), 1;
  /* no video plugin, so no on-screen display */
  m64p_handle core_section;
  int off = 0;
  ((ptr_ConfigOpenSection)need(core, "ConfigOpenSection"))("Core", &core_section);
  ((ptr_ConfigSetParameter)need(core, "ConfigSetParameter"))(core_section, "OnScreenDisplay", M64TYPE_BOOL, &off);
  err = do_command(M64CMD_ROM_OPEN, (int)size, rom);
  if (err) return fprintf(stderr, "ROM_OPEN: %d\n", err), 1;
  ((ptr_PluginStartup)need(input, "PluginStartup"))(core, NULL, NULL);
  ((void (*)(void (*)(int, BUTTONS *)))need(input, "script_input_set_hook"))(on_keys);
  err = attach(M64PLUGIN_INPUT, input);
  if (err) return fprintf(stderr, "attach input: %d\n", err), 1;

  alarm(180); /* a ROM that never reads the controller would run forever */
  err = do_command(M64CMD_EXECUTE, 0, NULL); /* on_keys ends the process after the script */
  fprintf(stderr, "EXECUTE returned %d before the script ended\n", err);
  return 1;
}
