/** A minimal text extraction for the uncompressed PDFs billing renders: pdfkit writes each text run as
 * `[<hex> kerning <hex> …] TJ`; joining the hex strings of a run gives its characters (WinAnsi). */
export function pdfText(pdf: Buffer): string[] {
  const source = pdf.toString('latin1');
  const runs: string[] = [];
  for (const [, array] of source.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    const hex = [...(array ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]).join('');
    runs.push(Buffer.from(hex, 'hex').toString('latin1'));
  }
  return runs;
}
