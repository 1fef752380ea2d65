/* The game's screens: title/menu, race, results. */
#ifndef SCREENS_H
#define SCREENS_H
extern const unsigned char race_pal[32], title_pal[32], results_pal[32];

void menu_enter(void);
void menu_frame(unsigned char pressed);
void race_enter(unsigned char track);
void race_frame(unsigned char pad);
void results_enter(void);
void results_frame(unsigned char pressed);
#endif
