// The JDK release behind a dump, from the VM banner or the module versions printed in frames.

/**
 * `OpenJDK 64-Bit Server VM (25.91-b14 mixed mode)` names HotSpot 25, which is JDK 8; `(11.0.6+10 mixed mode)` and
 * `(25+36-LTS mixed mode, sharing)` name the JDK directly (JDK 9 onwards); SAP JVM 5.1 is Java 5.
 */
export function jdkFromVmBanner(banner: string): number | null {
  const token = /\((\d[^()\s,]*)/.exec(banner)?.[1];
  if (token === undefined) return null;
  if (/\bSAP\b/.test(banner)) {
    const sap = /^(\d+)\./.exec(token);
    return sap ? Number(sap[1]) : null;
  }
  const legacy = /^1\.(\d+)\./.exec(token);
  if (legacy) return Number(legacy[1]);
  const hotspot = /^(\d+)\.(\d+)-b\d+/.exec(token);
  if (hotspot) return jdkOfHotspot(Number(hotspot[1]));
  const modern = /^(\d+)(?:[.+-]|$)/.exec(token);
  return modern && Number(modern[1]) >= 9 ? Number(modern[1]) : null;
}

// HotSpot numbered itself apart from the JDK until JDK 9: HS 25 shipped with JDK 8, HS 21-24 with JDK 7.
function jdkOfHotspot(major: number): number {
  if (major >= 25) return 8;
  if (major >= 21) return 7;
  return 6;
}

/** `(java.base@11.0.6/Native Method)`: JDK 9+ print the module version in every JDK frame. */
export function jdkFromFrameText(text: string): number | null {
  const m = /java\.base@(\d+)/.exec(text);
  return m ? Number(m[1]) : null;
}
