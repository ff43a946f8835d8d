import { useEffect, useState } from 'react';
import { answer, api } from './client';
import type { paths } from './schema';

export type Me = paths['/me']['get']['responses']['200']['content']['application/json'];

let asked: Promise<Me> | undefined;

/** Who the signed-in user is (GET /me), asked once per page: what the navigation offers them. */
export function useMe(): Me | undefined {
  const [me, setMe] = useState<Me>();
  useEffect(() => {
    asked ??= answer<Me>(api.GET('/me'));
    asked.then(setMe, () => (asked = undefined));
  }, []);
  return me;
}

/** Whether the signed-in user may do an action to the whole library (GET /me's `may`): what a view offers; undefined until known. */
export function useMay(action: Me['may'][number]): boolean | undefined {
  const me = useMe();
  return me && me.may.includes(action);
}
