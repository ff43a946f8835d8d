import { focusNeighbourWhenGone, matching } from '../focusNeighbour';
import { setFavourite, useFavourites } from './favourites';

/** The favourites' stars: one unstarred there takes its tile away, and the focus goes to the next tile's star. */
const favouritesStars = matching('.favourites [data-testid="grid"] button.star');

/** A star that marks the asset as one of the user's favourites, and unmarks it. */
export function FavouriteStar({ assetId, name }: { assetId: string; name: string }) {
  const on = useFavourites().has(assetId);
  return (
    <button type="button" className="star" aria-pressed={on} aria-label={`Favourite: ${name}`} title={on ? 'Favourite' : 'Not a favourite'} onClick={(event) => {
        if (on && event.currentTarget.closest('.favourites')) focusNeighbourWhenGone(event.currentTarget, favouritesStars);
        void setFavourite(assetId, !on).catch(() => undefined);
      }}
    >
      {on ? '★' : '☆'}
    </button>
  );
}
