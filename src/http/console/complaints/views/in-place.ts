// The htmx attributes of a complaint page form that posts in place: the answer is the live fragment
// (live.tsx); the conversation is swapped and the other live parts come out of band, so the page is not
// reloaded and what is typed stays (the boxes carry hx-preserve). An action that can make the reply box appear
// or go (take, close) swaps the reply area too; a reply or note keeps it, so its form is still there to be
// emptied when the office accepted it.
export function inPlace(action: string, opts: { keepReplyArea?: boolean } = {}) {
  return {
    'hx-post': action,
    'hx-target': '#live-thread',
    'hx-select': '#live-thread',
    'hx-select-oob': opts.keepReplyArea ? '#live-side,#flash' : '#live-side,#flash,#reply-area',
    'hx-swap': 'outerHTML',
  };
}
