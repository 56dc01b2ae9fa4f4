const STEPS = ['Review', 'New credential', 'Migrate', 'Result'] as const
export type WizardStep = (typeof STEPS)[number]

/** Where the admin is in the wizard. */
export function WizardSteps({ current }: { current: WizardStep }) {
  const at = STEPS.indexOf(current)
  return (
    <ol className="wizard-steps" aria-label="Wizard steps">
      {STEPS.map((step, index) => (
        <li
          key={step}
          className={index < at ? 'wizard-step done' : 'wizard-step'}
          aria-current={index === at ? 'step' : undefined}
        >
          <span className="wizard-step-number" aria-hidden="true">
            {index + 1}
          </span>
          {step}
        </li>
      ))}
    </ol>
  )
}
