/**
 * `@zos/fs`, host side: the Mini Program's /data files, as text. They outlive the app and the App
 * Service. From the service, a write is allowed only "when the screen is off or in AOD"
 * (guides/framework/device/app-service.md); the page writes at any time.
 */
import type { HostHandlers, HostOpsOf } from '../ops';
import type { World } from '../world';

export class DataFiles {
  private readonly files = new Map<string, string>();

  constructor(private readonly world: World) {}

  read(path: string): string | null {
    return this.files.get(path) ?? null;
  }

  write(path: string, data: string): void {
    this.files.set(path, data);
    this.world.event('storage', `file ${path} written`);
  }

  /** rmSync's result: 0 when removed, -1 when there was no such file. */
  remove(path: string): number {
    return this.files.delete(path) ? 0 : -1;
  }

  all(): Record<string, string> {
    return Object.fromEntries(this.files);
  }
}

/** The file operations of a page: any time. */
export function fsOps(files: DataFiles): HostHandlers<HostOpsOf<'fs'>> {
  return {
    'fs.read': ({ path }) => ({ data: files.read(path) }),
    'fs.write': ({ path, data }) => files.write(path, data),
    'fs.rm': ({ path }) => files.remove(path),
  };
}

/** The file operations of the App Service: writes only while `writeAllowed()` (the screen off). */
export function serviceFsOps(
  files: DataFiles,
  world: World,
  writeAllowed: () => boolean,
): HostHandlers<HostOpsOf<'fs'>> {
  const refused = (api: string): void =>
    world.fail(
      `App Service: @zos/fs ${api} with the screen on: file writes from a service only "when the screen is off or in AOD" (guides/framework/device/app-service.md)`,
      {
        kind: 'refused',
        rule: `${api} from an App Service with the screen on`,
        page: 'guides/framework/device/app-service.md',
      },
    );
  return {
    'fs.read': ({ path }) => ({ data: files.read(path) }),
    'fs.write': ({ path, data }) => {
      if (!writeAllowed()) return refused('writeFileSync');
      files.write(path, data);
    },
    'fs.rm': ({ path }) => {
      if (!writeAllowed()) {
        refused('rmSync');
        return -1;
      }
      return files.remove(path);
    },
  };
}
