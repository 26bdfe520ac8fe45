package io.accent.model;

import io.accent.core.ModelException;
import io.accent.data.AuxiliaryMapping;
import io.accent.data.PreparedDataset;
import io.accent.data.RcfDataset;
import io.accent.data.RelationalData;
import io.accent.modelio.ImportFamily;
import io.accent.modelio.ModelStore;
import io.accent.ncf.NcfImportFamily;
import io.accent.ncf.NcfModel;
import io.accent.rcf.RcfConfig;
import io.accent.rcf.RcfData;
import io.accent.rcf.RcfImportFamily;
import io.accent.rcf.RcfModel;
import io.accent.tf.ParameterSet;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry of model families by name, written out in code. */
public final class ModelFamilies {

    /** NCF (docs/SPEC.md §2). */
    public static final ModelFamily NCF =
            new ModelFamily() {
                @Override
                public String name() {
                    return "ncf";
                }

                @Override
                public List<String> dataFiles() {
                    return List.of(
                            PreparedDataset.DESCRIPTOR,
                            PreparedDataset.USERS,
                            PreparedDataset.NCF_ITEMS,
                            PreparedDataset.NCF_TRAIN,
                            PreparedDataset.NCF_TEST);
                }

                @Override
                public void exportSavedModel(
                        Path dir, ModelMetadata metadata, ParameterSet state, Path dataDir) {
                    NcfModel.export(dir, state);
                }

                @Override
                public TrainedModel load(Path modelDir, ModelMetadata m) {
                    PreparedDataset data;
                    try {
                        data = PreparedDataset.load(modelDir.resolve(ModelStore.DATA));
                    } catch (UncheckedIOException e) {
                        throw new ModelException(
                                "model " + modelDir + " has unreadable data: " + e.getMessage(), e);
                    }
                    if (data.users().size() != m.numUsers()
                            || data.items().size() != m.numItems()) {
                        throw new ModelException(
                                "model "
                                        + modelDir
                                        + " was trained on "
                                        + m.numUsers()
                                        + " users and "
                                        + m.numItems()
                                        + " items but its data has "
                                        + data.users().size()
                                        + " and "
                                        + data.items().size());
                    }
                    return NcfModel.load(modelDir.resolve(ModelStore.SAVED_MODEL), m, data);
                }

                @Override
                public Optional<ImportFamily> importer() {
                    return Optional.of(NcfImportFamily.INSTANCE);
                }
            };

    /** RCF (SPEC §4). */
    public static final ModelFamily RCF =
            new ModelFamily() {
                @Override
                public String name() {
                    return "rcf";
                }

                @Override
                public List<String> dataFiles() {
                    return List.of(
                            PreparedDataset.DESCRIPTOR,
                            PreparedDataset.USERS,
                            PreparedDataset.RCF_ITEMS,
                            PreparedDataset.RCF_TRAIN,
                            PreparedDataset.RCF_TEST,
                            RelationalData.FILE_NAME,
                            AuxiliaryMapping.FILE_NAME);
                }

                @Override
                public void exportSavedModel(
                        Path dir, ModelMetadata metadata, ParameterSet state, Path dataDir) {
                    RcfConfig config = RcfConfig.fromMap(metadata.config());
                    RcfModel.export(
                            dir,
                            config,
                            state,
                            RcfData.of(
                                    RcfDataset.load(dataDir),
                                    config.hidden(),
                                    config.attention(),
                                    config.mlp()));
                }

                @Override
                public TrainedModel load(Path modelDir, ModelMetadata m) {
                    return RcfModel.load(modelDir, m);
                }

                @Override
                public Optional<ImportFamily> importer() {
                    return Optional.of(RcfImportFamily.INSTANCE);
                }
            };

    private static final Map<String, ModelFamily> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put(NCF.name(), NCF);
        BY_NAME.put(RCF.name(), RCF);
    }

    private ModelFamilies() {}

    /** The names of all families, in registry order. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** The family with this name, if any. */
    public static Optional<ModelFamily> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The family with this name; an unknown name is a model error listing the known ones. */
    public static ModelFamily get(String name) {
        return find(name)
                .orElseThrow(
                        () ->
                                new ModelException(
                                        "unknown model family '"
                                                + name
                                                + "' (known: "
                                                + String.join(", ", names())
                                                + ")"));
    }
}
