/** A multipart/form-data body with one file part, fully in memory so sending costs no disk reads. */
export interface MultipartBody {
  readonly contentType: string;
  /** Everything before the file bytes: boundary line and part headers. */
  readonly head: Buffer;
  /** Everything after: the closing boundary. */
  readonly tail: Buffer;
}

/**
 * Boundary, part headers and closing boundary around a file sent in field `file`.
 * @example const { contentType, head, tail } = multipartFor('video.mp4', 'video/mp4');
 */
export function multipartFor(filename: string, type: string): MultipartBody {
  const boundary = `----faultline-bench-${Date.now().toString(36)}`;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    head: Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    tail: Buffer.from(`\r\n--${boundary}--\r\n`),
  };
}
