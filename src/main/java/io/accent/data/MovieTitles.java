package io.accent.data;

import java.util.Set;
import java.util.SplittableRandom;

/** Made-up movie titles for the synthetic data sets, drawn from a seeded stream. */
final class MovieTitles {

    static final String[] ADJECTIVES = {
        "Silent",
        "Crimson",
        "Last",
        "Hidden",
        "Broken",
        "Golden",
        "Midnight",
        "Lost",
        "Wild",
        "Secret",
        "Burning",
        "Frozen",
        "Distant",
        "Hollow",
        "Electric",
        "Quiet",
        "Restless",
        "Forgotten",
        "Savage",
        "Gentle",
        "Endless",
        "Scarlet",
        "Lonely",
        "Iron",
        "Velvet",
        "Stolen",
        "Bitter",
        "Shining",
        "Wandering",
        "Dark",
        "Little",
        "Long",
        "Summer",
        "Winter",
        "Paper",
        "Glass",
        "Northern",
        "Blue"
    };
    static final String[] NOUNS = {
        "Harbor",
        "River",
        "Kingdom",
        "Promise",
        "Garden",
        "Shadow",
        "Road",
        "Storm",
        "Mirror",
        "Bridge",
        "Horizon",
        "Lantern",
        "Island",
        "Empire",
        "Station",
        "Journey",
        "Frontier",
        "Letter",
        "Crown",
        "Valley",
        "Witness",
        "Orchard",
        "Signal",
        "Voyage",
        "Canyon",
        "Echo",
        "Fortune",
        "Harvest",
        "Lighthouse",
        "Desert",
        "Carnival",
        "Sky",
        "Hunter",
        "Stranger",
        "Heart",
        "Night",
        "Engine",
        "Tide",
        "Circus",
        "Castle",
        "Rain",
        "Diamond",
        "Winter",
        "Forest",
        "City",
        "Ocean",
        "Game"
    };
    static final String[] NAMES = {
        "Annie", "Jack", "Maria", "Henry", "Lucy", "Max", "Rosa", "Sam", "Clara", "Victor", "Nora",
        "Oscar", "Ruby", "Leo", "Iris", "Walter", "Edith", "Felix", "Mabel", "Hugo"
    };
    static final String[] PLACES = {
        "Paris", "Brooklyn", "Tangier", "Montana", "Venice", "Manhattan", "Havana", "Texas",
                "Berlin",
        "Alaska", "Memphis", "Cairo", "Dublin", "Saigon", "Vegas", "Chinatown", "Sicily", "Oregon"
    };

    private MovieTitles() {}

    /**
     * A title not in {@code used} (which it joins): a pattern of words, with a number appended once
     * 50 draws have all been taken.
     */
    static String unique(SplittableRandom rng, Set<String> used) {
        for (int attempt = 0; ; attempt++) {
            String t =
                    switch (SyntheticDraws.pick(rng, new double[] {40, 20, 15, 15, 10})) {
                        case 0 -> "The " + any(rng, ADJECTIVES) + " " + any(rng, NOUNS);
                        case 1 ->
                                any(rng, NOUNS)
                                        + " of the "
                                        + any(rng, ADJECTIVES)
                                        + " "
                                        + any(rng, NOUNS);
                        case 2 -> any(rng, NAMES) + "'s " + any(rng, NOUNS);
                        case 3 ->
                                any(rng, ADJECTIVES)
                                        + " "
                                        + any(rng, NOUNS)
                                        + " in "
                                        + any(rng, PLACES);
                        default -> "A " + any(rng, NOUNS) + " for " + any(rng, NAMES);
                    };
            if (attempt >= 50) {
                t = t + " " + (attempt - 48);
            }
            if (used.add(t)) {
                return t;
            }
        }
    }

    private static String any(SplittableRandom rng, String[] words) {
        return words[rng.nextInt(words.length)];
    }
}
