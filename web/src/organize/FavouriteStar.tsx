import { setFavourite, useFavourites } from './favourites';

/** A star that marks the asset as one of the user's favourites, and unmarks it. */
export function FavouriteStar({ assetId, name }: { assetId: string; name: string }) {
  const on = useFavourites().has(assetId);
  return (
    <button type="button" className="star" aria-pressed={on} aria-label={`Favourite: ${name}`} title={on ? 'Favourite' : 'Not a favourite'} onClick={() => void setFavourite(assetId, !on).catch(() => undefined)}>
      {on ? '★' : '☆'}
    </button>
  );
}
