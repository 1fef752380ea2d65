/**
 * Whether a file can be a libretro core for this machine: a shared library of this machine's class, byte order
 * and architecture that exports the libretro entry points the addon binds. Checked on the bytes, before the file
 * is installed or ever loaded.
 */

import { CoreError } from '../errors.ts';
import { readElf, type ElfInfo } from './elf-reader.ts';

const ET_DYN = 3;

/** The libretro functions native/core_library.cpp binds: a core missing any of them cannot be loaded. */
export const REQUIRED_CORE_SYMBOLS = [
  'retro_api_version',
  'retro_init',
  'retro_deinit',
  'retro_get_system_info',
  'retro_get_system_av_info',
  'retro_set_environment',
  'retro_set_video_refresh',
  'retro_set_audio_sample',
  'retro_set_audio_sample_batch',
  'retro_set_input_poll',
  'retro_set_input_state',
  'retro_set_controller_port_device',
  'retro_reset',
  'retro_run',
  'retro_serialize_size',
  'retro_serialize',
  'retro_unserialize',
  'retro_load_game',
  'retro_unload_game',
  'retro_get_memory_data',
  'retro_get_memory_size',
] as const;

export interface ElfTarget {
  bits: 32 | 64;
  littleEndian: boolean;
  machine: number;
  /** How the machine is called in messages. */
  name: string;
}

/** e_machine values of the architectures Node runs on Linux. */
const TARGETS: Record<string, ElfTarget> = {
  x64: { bits: 64, littleEndian: true, machine: 62, name: 'x86-64' },
  arm64: { bits: 64, littleEndian: true, machine: 183, name: 'AArch64' },
  arm: { bits: 32, littleEndian: true, machine: 40, name: 'ARM' },
  ia32: { bits: 32, littleEndian: true, machine: 3, name: 'i386' },
  riscv64: { bits: 64, littleEndian: true, machine: 243, name: 'RISC-V' },
  ppc64: { bits: 64, littleEndian: true, machine: 21, name: 'PowerPC64' },
  s390x: { bits: 64, littleEndian: false, machine: 22, name: 's390x' },
};

/** The ELF class, byte order and machine of libraries this process can load. */
export function currentElfTarget(arch: string = process.arch): ElfTarget {
  const target = TARGETS[arch];
  if (!target) throw new CoreError('CORE_INVALID', `cannot check cores for this machine's architecture (${arch})`);
  // ppc64 is little-endian on Linux (ppc64le); AIX's big-endian one has no .so cores to install.
  return target;
}

function machineName(machine: number): string {
  return Object.values(TARGETS).find((t) => t.machine === machine)?.name ?? `e_machine ${machine}`;
}

/**
 * Checks the bytes of a would-be core.
 * @throws CoreError `CORE_INVALID` naming what is wrong: not ELF, not a shared library, another architecture, or
 *   missing libretro symbols.
 */
export function checkCoreFile(bytes: Uint8Array, label: string, target: ElfTarget = currentElfTarget()): ElfInfo {
  const elf = readElf(bytes, label);
  const fail = (reason: string): never => {
    throw new CoreError('CORE_INVALID', `${label}: ${reason}`, { file: label });
  };
  if (elf.bits !== target.bits || elf.littleEndian !== target.littleEndian || elf.machine !== target.machine) {
    fail(`built for ${machineName(elf.machine)} (ELF${elf.bits}${elf.littleEndian ? '' : ', big-endian'}), but this machine is ${target.name} (ELF${target.bits})`);
  }
  if (elf.type !== ET_DYN) fail(`not a shared library (ELF type ${elf.type}, not ${ET_DYN})`);
  const missing = REQUIRED_CORE_SYMBOLS.filter((s) => !elf.exports.has(s));
  if (missing.length === REQUIRED_CORE_SYMBOLS.length) fail('exports no libretro functions: not a libretro core');
  if (missing.length > 0) fail(`not a usable libretro core: it does not export ${missing.join(', ')}`);
  return elf;
}
