// A file the API sent base64-encoded, saved by the browser under its own name.
export function save(file: { fileName: string; mediaType: string; contentBase64: string }): void {
  const bytes = Uint8Array.from(atob(file.contentBase64), (c) => c.charCodeAt(0));
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([bytes], { type: file.mediaType }));
  link.download = file.fileName;
  link.click();
  URL.revokeObjectURL(link.href);
}

/** A chosen file's bytes, base64-encoded, as the API takes uploads in JSON. */
export function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1] ?? "");
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
