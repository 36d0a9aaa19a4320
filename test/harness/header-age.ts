// Samples the header's "refreshed Ns ago" / "refreshing…" from captured screens, to tell that the
// inventory keeps refreshing while an end-to-end test does other things.
export interface HeaderSample {
  at: number;
  age?: number;
  refreshing: boolean;
}

export class HeaderAge {
  readonly samples: HeaderSample[] = [];

  sample(screen: string): void {
    const top = screen.split('\n')[0] ?? '';
    const m = /refreshed (\d+)s ago/.exec(top);
    if (m) this.samples.push({ at: Date.now(), age: Number(m[1]), refreshing: false });
    else if (top.includes('refreshing…')) this.samples.push({ at: Date.now(), refreshing: true });
  }

  /** refreshes seen since `from`: the age went back down, or "refreshing…" appeared */
  refreshesSince(from: number): number {
    const s = this.samples.filter((x) => x.at >= from);
    let n = 0;
    for (let i = 1; i < s.length; i++) {
      if (s[i].refreshing && !s[i - 1].refreshing) n++;
      else if (!s[i].refreshing && !s[i - 1].refreshing && s[i].age! < s[i - 1].age!) n++;
    }
    return n;
  }

  /** the ages seen since `from` (while not refreshing) */
  agesSince(from = 0): number[] {
    return this.samples.filter((s) => s.at >= from && !s.refreshing).map((s) => s.age!);
  }
}
