// "Error acquiring the state lock": who holds it, since when, and how to break a dead one.

export interface StateLockInfo {
  id: string;
  path?: string;
  operation?: string;
  who?: string;
  version?: string;
  created?: string;
}

/** Parse the diagnostic detail ("Lock Info:\n  ID: …\n  Who: …"); undefined when absent. */
export function parseStateLock(detail: string): StateLockInfo | undefined {
  const field = (name: string) => {
    const m = new RegExp(`^\\s*${name}:[ \\t]*(.*)$`, 'm').exec(detail);
    return m ? m[1].trim() || undefined : undefined;
  };
  const id = field('ID');
  if (!id) return undefined;
  return {
    id,
    path: field('Path'),
    operation: field('Operation'),
    who: field('Who'),
    version: field('Version'),
    created: field('Created'),
  };
}

export function isStateLockError(summary: string): boolean {
  return /error acquiring the state lock/i.test(summary);
}

/** One sentence for the operator, with the command that breaks a dead lock. */
export function describeStateLock(info: StateLockInfo, tool = 'tofu'): string {
  const since = info.created ? ` since ${info.created.replace(/\.\d+/, '').replace(/ \+0000 UTC$/, ' UTC')}` : '';
  const op = info.operation ? `, operation ${info.operation}` : '';
  return `state locked by ${info.who ?? 'someone'}${since}${op}; if that run is dead: ${tool} force-unlock ${info.id}`;
}
