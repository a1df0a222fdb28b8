import { randomUUID } from 'node:crypto';

/** Protocol version this client speaks (messaging spec 5.4). */
export const PROTOCOL_VERSION = '5.4';

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  /** ISO 8601 with a time zone; the kernel's clock for messages it sends. */
  date: string;
  msg_type: string;
  version: string;
}

export type JsonObject = { [key: string]: unknown };

export interface LanguageInfo {
  name: string;
  version?: string;
  mimetype?: string;
  file_extension?: string;
  pygments_lexer?: string;
  codemirror_mode?: unknown;
  nbconvert_exporter?: string;
}

export interface KernelInfoReplyContent {
  status: 'ok' | 'error';
  protocol_version: string;
  implementation: string;
  implementation_version: string;
  language_info: LanguageInfo;
  banner: string;
  help_links?: Array<{ text: string; url: string }>;
  debugger?: boolean;
}

export interface ExecuteRequestContent {
  code: string;
  silent: boolean;
  store_history: boolean;
  user_expressions: JsonObject;
  allow_stdin: boolean;
  stop_on_error: boolean;
}

export interface ExecuteReplyContent {
  status: 'ok' | 'error' | 'aborted';
  execution_count: number | null;
  payload?: JsonObject[];
  user_expressions?: JsonObject;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface StatusContent {
  execution_state: 'busy' | 'idle' | 'starting' | 'restarting' | 'dead';
}

export interface ExecuteInputContent {
  code: string;
  execution_count: number;
}

export interface StreamContent {
  name: 'stdout' | 'stderr';
  text: string;
}

export type MimeBundle = { [mime: string]: unknown };

export interface DisplayDataContent {
  data: MimeBundle;
  metadata: JsonObject;
  transient?: { display_id?: string } | null;
}

export type UpdateDisplayDataContent = DisplayDataContent;

export interface ExecuteResultContent extends DisplayDataContent {
  execution_count: number;
}

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface ClearOutputContent {
  wait: boolean;
}

export interface InputRequestContent {
  prompt: string;
  password: boolean;
}

export interface InputReplyContent {
  value: string;
}

export type InterruptRequestContent = Record<string, never>;
export interface InterruptReplyContent {
  status: 'ok' | 'error';
}

export interface ShutdownRequestContent {
  restart: boolean;
}
export interface ShutdownReplyContent {
  status?: 'ok' | 'error';
  restart: boolean;
}

/** Content type of each message type this client sends or reads. */
export interface MessageContentMap {
  kernel_info_request: Record<string, never>;
  kernel_info_reply: KernelInfoReplyContent;
  execute_request: ExecuteRequestContent;
  execute_reply: ExecuteReplyContent;
  status: StatusContent;
  execute_input: ExecuteInputContent;
  stream: StreamContent;
  display_data: DisplayDataContent;
  update_display_data: UpdateDisplayDataContent;
  execute_result: ExecuteResultContent;
  error: ErrorContent;
  clear_output: ClearOutputContent;
  input_request: InputRequestContent;
  input_reply: InputReplyContent;
  interrupt_request: InterruptRequestContent;
  interrupt_reply: InterruptReplyContent;
  shutdown_request: ShutdownRequestContent;
  shutdown_reply: ShutdownReplyContent;
}

export type KnownMessageType = keyof MessageContentMap;

/** A message as built by this client, before it is signed and framed. */
export interface OutgoingMessage<T extends KnownMessageType = KnownMessageType> {
  header: MessageHeader & { msg_type: T };
  parent_header: Partial<MessageHeader>;
  metadata: JsonObject;
  content: MessageContentMap[T];
  buffers: Buffer[];
}

/**
 * A message received and verified. `content` is parsed on first access: a flood of large
 * stream messages past a cell's output cap is routed and dropped without ever being parsed.
 */
export interface ReceivedMessage {
  /** Frames before `<IDS|MSG>` (ROUTER identities, IOPub topic). */
  identities: Buffer[];
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: JsonObject;
  /** Size of the raw content frame in bytes. */
  readonly contentBytes: number;
  /** The raw (signed) content frame. */
  readonly contentFrame: Buffer;
  readonly content: unknown;
  buffers: Buffer[];
}

/** Narrow a received message's content by its type; the caller has checked `header.msg_type`. */
export function contentOf<T extends KnownMessageType>(message: ReceivedMessage, _type: T): Partial<MessageContentMap[T]> {
  const content = message.content;
  return (typeof content === 'object' && content !== null ? content : {}) as Partial<MessageContentMap[T]>;
}

export function createHeader(msgType: string, session: string, username = 'mle'): MessageHeader {
  return { msg_id: randomUUID(), session, username, date: new Date().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION };
}

export function createMessage<T extends KnownMessageType>(
  msgType: T,
  content: MessageContentMap[T],
  session: string,
  parent: Partial<MessageHeader> = {},
): OutgoingMessage<T> {
  return { header: createHeader(msgType, session) as MessageHeader & { msg_type: T }, parent_header: parent, metadata: {}, content, buffers: [] };
}
