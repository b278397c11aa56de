// Which commit a service runs, from its resource attributes. Order of preference: the
// OpenTelemetry VCS semantic conventions, then the older/common `git.commit.sha`, then
// `service.version` when it looks like a commit SHA or a tag.
import type { Attributes } from '../model/types';

export const REVISION_ATTRIBUTES = ['vcs.ref.head.revision', 'vcs.repository.ref.revision', 'git.commit.sha', 'service.version'] as const;

export interface RevisionRef {
  revision: string;
  kind: 'sha' | 'tag';
  attribute: (typeof REVISION_ATTRIBUTES)[number];
}

const SHA = /^[0-9a-f]{7,64}$/i;
// v1.2.3, 1.2, release-2024-01-02, v2.0.0-rc.1: something a team tags a deploy with.
const TAG = /^(v?\d+(\.\d+){1,3}([-+][0-9A-Za-z.-]+)?|(release|deploy|rel)[-/_][0-9A-Za-z._-]+)$/;

export function revisionFromAttributes(attrs: Attributes): RevisionRef | undefined {
  for (const attribute of REVISION_ATTRIBUTES) {
    const v = attrs[attribute];
    if (typeof v !== 'string') continue;
    const s = v.trim();
    if (!s || s.length > 128) continue;
    if (SHA.test(s)) return { revision: s.toLowerCase(), kind: 'sha', attribute };
    if (attribute === 'service.version') {
      if (TAG.test(s)) return { revision: s, kind: 'tag', attribute };
      continue;
    }
    // The VCS attributes may carry a tag or branch name too; keep it as a tag.
    return { revision: s, kind: 'tag', attribute };
  }
  return undefined;
}

/** The revision string for `Resource.revision` (collector/model/types.ts). */
export function revisionOf(attrs: Attributes): string | undefined {
  return revisionFromAttributes(attrs)?.revision;
}
