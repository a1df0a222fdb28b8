import { TimeoutError } from './errors.js';

/**
 * A request's reply, or a TimeoutError naming the reply after `timeoutMs`; `forget` drops the
 * pending entry so that a late reply is ignored. Shared by the ZeroMQ and the gateway clients.
 */
export async function replyWithin<T>(reply: Promise<T>, msgType: string, timeoutMs: number, forget: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      forget();
      reject(new TimeoutError(`no ${msgType.replace('_request', '_reply')} within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([reply, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
