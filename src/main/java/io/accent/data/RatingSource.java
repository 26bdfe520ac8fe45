package io.accent.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@code data prepare} reads ratings and titles: a MovieLens-style directory whose layout is
 * recognised from its files ({@link RatingLayout#detect}), or a generic rating log ({@link
 * DelimitedFormat}).
 *
 * @param location the MovieLens directory, or the rating log
 * @param format the description of a rating log; empty for a MovieLens directory
 */
public record RatingSource(Path location, Optional<DelimitedFormat> format) {

    /** A MovieLens-style directory (100K, 1M/10M, 20M+, HetRec). */
    public static RatingSource movielens(Path dir) {
        return new RatingSource(dir, Optional.empty());
    }

    /** A generic rating log. */
    public static RatingSource delimited(DelimitedFormat format) {
        return new RatingSource(format.ratings(), Optional.of(format));
    }

    /** The paths the output may not overlap: the directory, or the log and its items file. */
    List<Path> inputs() {
        List<Path> out = new ArrayList<>();
        out.add(location);
        format.flatMap(DelimitedFormat::items).ifPresent(out::add);
        return out;
    }

    /** Opens the source: finds the layout (for a directory) and names its files. */
    Opened open() {
        if (format.isPresent()) {
            DelimitedFormat f = format.get();
            return new Opened(RatingLayout.DELIMITED, f.ratings(), f.items(), format);
        }
        RatingLayout layout = RatingLayout.detect(location);
        return new Opened(
                layout,
                location.resolve(layout.ratingsFile()),
                Optional.of(location.resolve(layout.itemsFile())),
                Optional.empty());
    }

    /**
     * An opened source: its layout and files.
     *
     * @param layout the recognised layout
     * @param ratings the ratings file
     * @param items the titles file, if any (always one for the MovieLens layouts)
     * @param delimited the description of a rating log; empty for the MovieLens layouts
     */
    /**
     * What a source says about its items.
     *
     * @param titles titles by raw item id
     * @param attributes the item attributes, when the layout has any
     * @param attributeFiles the files the attributes come from besides the titles file
     */
    record ItemSide(
            Map<Integer, String> titles,
            Optional<ItemAttributes> attributes,
            List<Path> attributeFiles) {}

    record Opened(
            RatingLayout layout,
            Path ratings,
            Optional<Path> items,
            Optional<DelimitedFormat> delimited) {

        RawRatings readRatings() {
            return delimited.isPresent()
                    ? delimited.get().readRatings()
                    : MovieLensFiles.readRatings(layout, ratings);
        }

        /**
         * Titles by raw item id (a MovieLens layout must have one for every prepared item), read in
         * the same pass as the item attributes the layout offers (docs/SPEC.md §11.2): genres from
         * {@code movies.dat} or {@code movies.csv} (MovieLens 1M to 32M), genres, directors and
         * actors from HetRec's three attribute files when all of them are in the directory.
         * MovieLens 100K offers none here: its attributes are the RCF release's mapping, and its
         * prepared directory stays as it was. Empty too when no item has an attribute.
         */
        ItemSide readItemSide() {
            if (delimited.isPresent()) {
                return new ItemSide(delimited.get().readTitles(), Optional.empty(), List.of());
            }
            MovieLensFiles.Titles titles = MovieLensFiles.readItems(layout, items.orElseThrow());
            Optional<ItemAttributes> attributes = Optional.empty();
            List<Path> files = List.of();
            if (layout == RatingLayout.MOVIELENS_DAT || layout == RatingLayout.MOVIELENS_CSV) {
                attributes = Optional.of(titles.genres());
            } else if (layout == RatingLayout.HETREC) {
                Path dir = ratings.getParent();
                List<Path> hetrec =
                        List.of(
                                dir.resolve(MovieLensFiles.HETREC_GENRES),
                                dir.resolve(MovieLensFiles.HETREC_DIRECTORS),
                                dir.resolve(MovieLensFiles.HETREC_ACTORS));
                if (hetrec.stream().allMatch(java.nio.file.Files::isRegularFile)) {
                    attributes = Optional.of(MovieLensFiles.readHetrecAttributes(dir));
                    files = hetrec;
                }
            }
            if (attributes.isPresent() && attributes.get().rows() == 0) {
                attributes = Optional.empty();
                files = List.of();
            }
            return new ItemSide(titles.map, attributes, files);
        }

        /** Whether an item without a title is an error (MovieLens) or gets a made-up one. */
        boolean titlesRequired() {
            return delimited.isEmpty();
        }
    }
}
