package org.fpnas.schemas;

import java.util.List;
import org.apache.avro.util.ClassSecurityValidator;
import org.fpnas.schemas.avro.AdmissionState;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DeadLetter;
import org.fpnas.schemas.avro.DispatchEvent;
import org.fpnas.schemas.avro.DispatchKind;
import org.fpnas.schemas.avro.DistributionPhase;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.HeldSample;
import org.fpnas.schemas.avro.ResultStatus;
import org.fpnas.schemas.avro.SampleSlot;
import org.fpnas.schemas.avro.SearchAdmission;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.schemas.avro.SearchTally;
import org.fpnas.schemas.avro.TeamDispatch;

/** The generated Avro classes of the wire contract, and their registration as trusted with Avro. */
public final class WireTypes {
  /** Every generated class of the contract. */
  public static final List<Class<?>> CLASSES =
      List.of(
          SearchSpec.class,
          ArchitectureSample.class,
          EvaluationResult.class,
          DistributionUpdate.class,
          DeadLetter.class,
          SearchTally.class,
          ResultStatus.class,
          DistributionPhase.class,
          SearchAdmission.class,
          AdmissionState.class,
          DispatchEvent.class,
          DispatchKind.class,
          TeamDispatch.class,
          SampleSlot.class,
          HeldSample.class);

  static {
    // Avro 1.12 only instantiates classes it trusts (a guard against gadget classes in foreign
    // schemas).
    ClassSecurityValidator.Builder trusted = ClassSecurityValidator.builder();
    CLASSES.forEach(trusted::add);
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), trusted.build()));
  }

  private WireTypes() {}

  /** Makes sure the contract's classes are trusted by Avro; idempotent and cheap. */
  public static void trust() {
    // The static initializer does the work once.
  }
}
