#ifndef HUD_H
#define HUD_H
void hud_static(void);      /* draw fixed HUD text; rendering must be off */
void hud_tick_clock(void);  /* one race frame passed */
void hud_lap_banner(void);  /* show "LAP 2" / "FINAL LAP" for a while */
void hud_frame(void);       /* queue this frame's HUD writes */
#endif
