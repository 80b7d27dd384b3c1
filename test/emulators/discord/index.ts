export { DiscordEmulator } from "./emulator.js";
export type { FaultSpec } from "./faults.js";
export * from "./fixtures.js";
export { type GatewayDrop, type GatewayFrame, type GatewaySession, INTENT, OPCODE } from "./gateway.js";
export { destroyClient, discordClient, loginClient, NO_PINGS, TINY_PNG } from "./harness.js";
export { INTERACTION_TYPE, type OptionValue } from "./interaction-payloads.js";
export { CALLBACK_TYPE, type EmulatedInteraction, type InteractionCallback } from "./interactions.js";
export { type SignatureMode, type SigningOptions, signedHeaders } from "./signing.js";
export {
  CHANNEL_TYPE,
  type ChannelPermissions,
  type EmulatedAttachment,
  type EmulatedChannel,
  type EmulatedMessage,
  PERMISSION,
  type StoredCommand,
} from "./state.js";
export type {
  ChannelRef,
  ClickInput,
  CommandInput,
  DiscordEmulatorOptions,
  InteractionDelivery,
  InteractionVia,
  InteractionView,
  MessageRef,
  ModalInput,
  RecordedCall,
  UploadInput,
  UserMessageInput,
  UserRef,
} from "./types.js";
export type { UploadedFile } from "./validation.js";
